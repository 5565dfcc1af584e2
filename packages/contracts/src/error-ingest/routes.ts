// The Sentry protocol's ingest: envelopes and store requests from the apps' Sentry SDKs (services/errors/).
import { define } from "../shared/route-contract.ts";
import { ErrorIngestParamsSchema, ErrorIngestQuerySchema, ErrorIngestResponseSchema } from "./schemas.ts";

const ingestHeaders = {
  "X-Sentry-Auth": "`Sentry sentry_key=<DSN public key>, sentry_version=7, sentry_client=<sdk>/<version>`",
  "Content-Encoding": "Optional: gzip or deflate",
} as const;

const ingestErrors = [
  "UNAUTHORIZED",
  "COMPANY_SUSPENDED",
  "SUBSCRIPTION_EXPIRED",
  "COMPANY_NOT_FOUND",
  "VALIDATION_FAILED",
  "ENVELOPE_INVALID",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "RATE_LIMITED",
] as const;

/** The two ingest routes differ in path, summary and the body's media types. */
const ingestRoute = <P extends string>(path: P, summary: string, rawBodyType: string) =>
  define({
    method: "post",
    path,
    summary,
    tag: "errors",
    auth: "sentryKey",
    params: ErrorIngestParamsSchema,
    query: ErrorIngestQuerySchema,
    headers: ingestHeaders,
    rawBody: true,
    rawBodyType,
    status: 200,
    response: ErrorIngestResponseSchema,
    errors: ingestErrors,
  });

export const errorIngestRoutes = {
  sendErrorEnvelope: ingestRoute(
    "/api/{projectId}/envelope/",
    "Sentry's envelope endpoint: events, sessions and session aggregates from an app's Sentry SDK (point the SDK's DSN here); other item types are accepted and dropped",
    "application/x-sentry-envelope, text/plain, application/octet-stream",
  ),
  storeErrorEvent: ingestRoute(
    "/api/{projectId}/store/",
    "Sentry's legacy store endpoint: one event as JSON, from SDKs that predate envelopes",
    "application/json, text/plain",
  ),
} as const;
