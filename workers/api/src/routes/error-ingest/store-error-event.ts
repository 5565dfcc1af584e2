import { operation } from "../../lib/operation.ts";
import { ingest } from "../../services/errors/ingest/ingest.ts";

/** Sentry's legacy store endpoint: one event as JSON, from SDKs older than envelopes. */
export const storeErrorEvent = operation("storeErrorEvent", async (c, { caller }) =>
  ingest(c, caller, "store"),
);
