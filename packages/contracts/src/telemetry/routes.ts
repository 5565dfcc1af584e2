import { bodyErrors, define } from "../shared/route-contract.ts";
import { TelemetryBatchRequestSchema, TelemetryIngestResponseSchema } from "./schemas.ts";

export const telemetryRoutes = {
  ingestTelemetry: define({
    method: "post",
    path: "/api/telemetry",
    summary:
      "Send a batch of machine samples and app usage events; accepted ones are queued for roll-up (202)",
    tag: "telemetry",
    auth: "installationTokenOrApiKey",
    permission: { resource: "telemetry", action: "write" },
    body: TelemetryBatchRequestSchema,
    status: 202,
    response: TelemetryIngestResponseSchema,
    errors: [
      ...bodyErrors,
      "UNAUTHORIZED",
      "INVALID_TOKEN",
      "TOKEN_EXPIRED",
      "FORBIDDEN",
      "COMPANY_NOT_FOUND",
      "COMPANY_SUSPENDED",
      "INSTALLATION_DEACTIVATED",
      "TENANT_DATABASE_EXTERNAL",
      "RATE_LIMITED",
    ],
  }),
} as const;
