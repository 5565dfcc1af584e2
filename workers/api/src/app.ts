import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env.ts";
import { ApiError, errorResponse } from "./lib/errors.ts";
import { authenticateUnknownAdminPath } from "./middleware/access.ts";
import { csrfProtection } from "./middleware/csrf.ts";
import { init } from "./middleware/init.ts";
import { adminAccess } from "./middleware/legacy-admin-access.ts";
import { securityHeaders } from "./middleware/security-headers.ts";
import { auditLogAdminRoutes } from "./routes/admin/audit-log.ts";
import { channelAdminRoutes } from "./routes/admin/channels.ts";
import { companyAdminRoutes } from "./routes/admin/companies.ts";
import { deadLetterAdminRoutes } from "./routes/admin/dead-letters.ts";
import { documentAdminRoutes } from "./routes/admin/documents.ts";
import { featureFlagAdminRoutes } from "./routes/admin/feature-flags.ts";
import { hubAdminRoutes } from "./routes/admin/hub.ts";
import { inboundWebhookAdminRoutes } from "./routes/admin/inbound-webhooks.ts";
import { installationAdminRoutes } from "./routes/admin/installations.ts";
import { machineAdminRoutes } from "./routes/admin/machines.ts";
import { memberAdminRoutes } from "./routes/admin/members.ts";
import { operatorAdminRoutes } from "./routes/admin/operators.ts";
import { projectAdminRoutes } from "./routes/admin/projects.ts";
import { rateLimitAdminRoutes } from "./routes/admin/rate-limits.ts";
import { registrationTokenAdminRoutes } from "./routes/admin/registration-tokens.ts";
import { releaseUploadRoutes } from "./routes/admin/release-uploads.ts";
import { releaseAdminRoutes } from "./routes/admin/releases.ts";
import { showroomAdminRoutes } from "./routes/admin/showrooms.ts";
import { telemetryAdminRoutes } from "./routes/admin/telemetry.ts";
import { tenantPoolAdminRoutes } from "./routes/admin/tenant-pool.ts";
import { updateAccessAdminRoutes } from "./routes/admin/update-access.ts";
import { webhookAdminRoutes } from "./routes/admin/webhooks.ts";
import { authRoutes } from "./routes/auth/auth.ts";
import { heartbeatRoute } from "./routes/company/heartbeat.ts";
import { registerRoute } from "./routes/company/register.ts";
import { validateRoute } from "./routes/company/validate.ts";
import { sharedDocumentRoute } from "./routes/documents/shared.ts";
import { operations } from "./routes/index.ts";
import { liveRoutes } from "./routes/live/live.ts";
import { syncRoutes } from "./routes/sync/sync.ts";
import { docsRoutes } from "./routes/system/docs.ts";
import { healthRoutes } from "./routes/system/health.ts";
import { ingestRoute } from "./routes/telemetry/ingest.ts";
import { feedRoutes } from "./routes/updates/feed.ts";
import { inboundWebhookRoute } from "./routes/webhooks/inbound.ts";

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use("*", init);
  app.use("*", securityHeaders);
  app.use("*", csrfProtection);
  app.use("/api/admin/*", adminAccess);

  for (const operation of operations) operation.mount(app);
  app.route("/", authRoutes);
  app.route("/", healthRoutes);
  app.route("/", docsRoutes);
  app.route("/", registerRoute);
  app.route("/", validateRoute);
  app.route("/", heartbeatRoute);
  app.route("/", companyAdminRoutes);
  app.route("/", installationAdminRoutes);
  app.route("/", auditLogAdminRoutes);
  app.route("/", registrationTokenAdminRoutes);
  app.route("/", tenantPoolAdminRoutes);
  app.route("/", hubAdminRoutes);
  app.route("/", rateLimitAdminRoutes);
  app.route("/", liveRoutes);
  app.route("/", channelAdminRoutes);
  app.route("/", releaseAdminRoutes);
  app.route("/", releaseUploadRoutes);
  app.route("/", updateAccessAdminRoutes);
  app.route("/", feedRoutes);
  app.route("/", operatorAdminRoutes);
  app.route("/", memberAdminRoutes);
  app.route("/", machineAdminRoutes);
  app.route("/", telemetryAdminRoutes);
  app.route("/", ingestRoute);
  app.route("/", webhookAdminRoutes);
  app.route("/", documentAdminRoutes);
  app.route("/", showroomAdminRoutes);
  app.route("/", projectAdminRoutes);
  app.route("/", featureFlagAdminRoutes);
  app.route("/", syncRoutes);
  app.route("/", sharedDocumentRoute);
  app.route("/", inboundWebhookRoute);
  app.route("/", inboundWebhookAdminRoutes);
  app.route("/", deadLetterAdminRoutes);

  app.notFound(async (c) => {
    const path = new URL(c.req.url).pathname;
    try {
      if (path.startsWith("/api/admin/")) await authenticateUnknownAdminPath(c);
    } catch (error) {
      if (error instanceof ApiError) return errorResponse(c, error);
      throw error;
    }
    return errorResponse(
      c,
      new ApiError("NOT_FOUND", `There is no route ${c.req.method} ${path}. See /docs.`),
    );
  });
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(c, error);
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(
        c,
        new ApiError(error.status === 413 ? "PAYLOAD_TOO_LARGE" : "VALIDATION_FAILED", error.message),
      );
    }
    // Unexpected: log it with the request id; the client gets the id and no internals.
    console.error(
      JSON.stringify({
        level: "error",
        event: "unhandled_error",
        request_id: c.get("requestId"),
        path: new URL(c.req.url).pathname,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    );
    return errorResponse(
      c,
      new ApiError(
        "INTERNAL_ERROR",
        "Something went wrong on our side. Quote the request id if you contact support.",
      ),
    );
  });
  return app;
}
