// Every operation of the API, by resource: each resource folder holds one file per operation and an
// index listing them (the folders mirror packages/contracts/src/<resource>). app.ts mounts this list,
// in the catalogue's order, and a test checks that it serves the catalogue exactly.
import type { Operation } from "../lib/operation.ts";
import { apiKeysOperations } from "./api-keys/index.ts";
import { auditLogOperations } from "./audit-log/index.ts";
import { channelsOperations } from "./channels/index.ts";
import { chatOperations } from "./chat/index.ts";
import { companiesOperations } from "./companies/index.ts";
import { companyAppOperations } from "./company-app/index.ts";
import { deadLettersOperations } from "./dead-letters/index.ts";
import { documentsOperations } from "./documents/index.ts";
import { errorIngestOperations } from "./error-ingest/index.ts";
import { errorIssuesOperations } from "./error-issues/index.ts";
import { errorProjectsOperations } from "./error-projects/index.ts";
import { errorSourceMapsOperations } from "./error-source-maps/index.ts";
import { featureFlagsOperations } from "./feature-flags/index.ts";
import { inboundWebhooksOperations } from "./inbound-webhooks/index.ts";
import { installationsOperations } from "./installations/index.ts";
import { liveOperations } from "./live/index.ts";
import { llmOperations } from "./llm/index.ts";
import { machinesOperations } from "./machines/index.ts";
import { membersOperations } from "./members/index.ts";
import { notificationInboxOperations } from "./notification-inbox/index.ts";
import { notificationPreferencesOperations } from "./notification-preferences/index.ts";
import { notificationProviderEventsOperations } from "./notification-provider-events/index.ts";
import { notificationTemplatesOperations } from "./notification-templates/index.ts";
import { notificationWorkflowsOperations } from "./notification-workflows/index.ts";
import { notificationsOperations } from "./notifications/index.ts";
import { operatorAlertsOperations } from "./operator-alerts/index.ts";
import { operatorsOperations } from "./operators/index.ts";
import { pipelineOperations } from "./pipeline/index.ts";
import { projectsOperations } from "./projects/index.ts";
import { pushSubscriptionsOperations } from "./push-subscriptions/index.ts";
import { rateLimitsOperations } from "./rate-limits/index.ts";
import { registrationTokensOperations } from "./registration-tokens/index.ts";
import { releaseHealthOperations } from "./release-health/index.ts";
import { releasesOperations } from "./releases/index.ts";
import { searchOperations } from "./search/index.ts";
import { showroomsOperations } from "./showrooms/index.ts";
import { syncOperations } from "./sync/index.ts";
import { systemOperations } from "./system/index.ts";
import { telemetryOperations } from "./telemetry/index.ts";
import { tenantPoolOperations } from "./tenant-pool/index.ts";
import { updatesOperations } from "./updates/index.ts";
import { webhooksOperations } from "./webhooks/index.ts";

export const operations: Operation[] = [
  ...systemOperations,
  ...companyAppOperations,
  ...companiesOperations,
  ...installationsOperations,
  ...auditLogOperations,
  ...registrationTokensOperations,
  ...inboundWebhooksOperations,
  ...deadLettersOperations,
  ...operatorAlertsOperations,
  ...liveOperations,
  ...rateLimitsOperations,
  ...channelsOperations,
  ...releasesOperations,
  ...updatesOperations,
  ...apiKeysOperations,
  ...membersOperations,
  ...operatorsOperations,
  ...machinesOperations,
  ...telemetryOperations,
  ...tenantPoolOperations,
  ...webhooksOperations,
  ...documentsOperations,
  ...showroomsOperations,
  ...pipelineOperations,
  ...projectsOperations,
  ...featureFlagsOperations,
  ...llmOperations,
  ...errorIngestOperations,
  ...errorProjectsOperations,
  ...errorIssuesOperations,
  ...errorSourceMapsOperations,
  ...releaseHealthOperations,
  ...searchOperations,
  ...notificationsOperations,
  ...notificationWorkflowsOperations,
  ...notificationTemplatesOperations,
  ...syncOperations,
  ...notificationProviderEventsOperations,
  ...notificationPreferencesOperations,
  ...notificationInboxOperations,
  ...pushSubscriptionsOperations,
  ...chatOperations,
];
