// The Sentry protocol's ingest: envelopes and store requests from the apps' Sentry SDKs (services/errors/).
import type { Operation } from "../../lib/operation.ts";
import { honoPath } from "../../lib/route.ts";
import { sentryCors } from "../../middleware/sentry-cors.ts";
import { sendErrorEnvelope } from "./send-error-envelope.ts";
import { storeErrorEvent } from "./store-error-event.ts";

/** Mounted with CORS in front: browsers' SDKs post from the apps' origins. */
const withCors = (operation: Operation): Operation => ({
  contract: operation.contract,
  mount(app) {
    app.use(honoPath(operation.contract.path), sentryCors);
    operation.mount(app);
  },
});

export const errorIngestOperations: Operation[] = [sendErrorEnvelope, storeErrorEvent].map(withCors);
