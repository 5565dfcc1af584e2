// The route catalogue: each HTTP operation's method, path, schemas and possible errors. The API
// mounts its handlers from these entries and the OpenAPI document is generated from them, so the
// docs cannot drift from what the handlers validate. Each resource declares its own routes in
// `<resource>/routes.ts`; the order here is the OpenAPI document's order.

import { apiKeyRoutes } from "./api-keys/routes.ts";
import { auditLogRoutes } from "./audit-log/routes.ts";
import { channelRoutes } from "./channels/routes.ts";
import { chatRoutes } from "./chat/routes.ts";
import { companyRoutes } from "./companies/routes.ts";
import { companyAppRoutes } from "./company-app/routes.ts";
import { deadLetterRoutes } from "./dead-letters/routes.ts";
import { documentRoutes } from "./documents/routes.ts";
import { errorIngestRoutes } from "./error-ingest/routes.ts";
import { errorIssueRoutes } from "./error-issues/routes.ts";
import { errorProjectRoutes } from "./error-projects/routes.ts";
import { errorSourceMapRoutes } from "./error-source-maps/routes.ts";
import { featureFlagRoutes } from "./feature-flags/routes.ts";
import { inboundWebhookRoutes } from "./inbound-webhooks/routes.ts";
import { installationRoutes } from "./installations/routes.ts";
import { liveRoutes } from "./live/routes.ts";
import { llmRoutes } from "./llm/routes.ts";
import { machineRoutes } from "./machines/routes.ts";
import { memberRoutes } from "./members/routes.ts";
import { notificationInboxRoutes } from "./notification-inbox/routes.ts";
import { notificationPreferenceRoutes } from "./notification-preferences/routes.ts";
import { notificationProviderEventRoutes } from "./notification-provider-events/routes.ts";
import { notificationTemplateRoutes } from "./notification-templates/routes.ts";
import { notificationWorkflowRoutes } from "./notification-workflows/routes.ts";
import { notificationRoutes } from "./notifications/routes.ts";
import { operatorAlertRoutes } from "./operator-alerts/routes.ts";
import { operatorRoutes } from "./operators/routes.ts";
import { pipelineRoutes } from "./pipeline/routes.ts";
import { projectRoutes } from "./projects/routes.ts";
import { pushSubscriptionRoutes } from "./push-subscriptions/routes.ts";
import { rateLimitRoutes } from "./rate-limits/routes.ts";
import { registrationTokenRoutes } from "./registration-tokens/routes.ts";
import { releaseHealthRoutes } from "./release-health/routes.ts";
import { releaseRoutes } from "./releases/routes.ts";
import { searchRoutes } from "./search/routes.ts";
import { showroomRoutes } from "./showrooms/routes.ts";
import { syncRoutes } from "./sync/routes.ts";
import { systemRoutes } from "./system/routes.ts";
import { telemetryRoutes } from "./telemetry/routes.ts";
import { tenantPoolRoutes } from "./tenant-pool/routes.ts";
import { updateRoutes } from "./updates/routes.ts";
import { webhookRoutes } from "./webhooks/routes.ts";

export type { AuthScheme, RouteContract } from "./shared/route-contract.ts";

export const routes = {
  ...systemRoutes,
  ...companyAppRoutes,
  ...companyRoutes,
  ...installationRoutes,
  ...auditLogRoutes,
  ...registrationTokenRoutes,
  ...inboundWebhookRoutes,
  ...deadLetterRoutes,
  ...operatorAlertRoutes,
  ...liveRoutes,
  ...rateLimitRoutes,
  ...channelRoutes,
  ...releaseRoutes,
  ...updateRoutes,
  ...apiKeyRoutes,
  ...memberRoutes,
  ...operatorRoutes,
  ...machineRoutes,
  ...telemetryRoutes,
  ...tenantPoolRoutes,
  ...webhookRoutes,
  ...documentRoutes,
  ...showroomRoutes,
  ...pipelineRoutes,
  ...projectRoutes,
  ...featureFlagRoutes,
  ...llmRoutes,
  ...errorIngestRoutes,
  ...errorProjectRoutes,
  ...errorIssueRoutes,
  ...errorSourceMapRoutes,
  ...releaseHealthRoutes,
  ...searchRoutes,
  ...syncRoutes,
  ...notificationRoutes,
  ...notificationWorkflowRoutes,
  ...notificationTemplateRoutes,
  ...notificationProviderEventRoutes,
  ...notificationPreferenceRoutes,
  ...notificationInboxRoutes,
  ...pushSubscriptionRoutes,
  ...chatRoutes,
} as const;

export type RouteName = keyof typeof routes;
