import { operation } from "../../lib/operation.ts";
import { ingest } from "../../services/errors/ingest/ingest.ts";

/** Sentry's envelope endpoint: what @sentry/node, @sentry/electron and the browser SDKs post to. */
export const sendErrorEnvelope = operation("sendErrorEnvelope", async (c, { caller }) =>
  ingest(c, caller, "envelope"),
);
