// CORS for the Sentry ingest: browsers' Sentry SDKs post envelopes from the app's own origin, which
// can be any origin, and read the answer's rate-limit headers to back off. The key in the request
// is the DSN's public one and no cookie is involved, so every origin is allowed (as Sentry does by
// default); the preflight of SDKs that send headers is answered here.
import { cors } from "hono/cors";

export const sentryCors = cors({
  origin: "*",
  allowMethods: ["POST", "OPTIONS"],
  exposeHeaders: ["X-Sentry-Rate-Limits", "Retry-After", "X-Request-Id"],
  maxAge: 86_400,
});
