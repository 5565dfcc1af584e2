// Company webhook endpoints: views, URL policy and secrets (sealed with the company's key, shown once).
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from "@nexus/contracts";
import type { webhookDeliveries, webhookEndpoints } from "@nexus/db/central";
import { encryptForCompany, endpointUrlProblem, newWebhookSecret } from "@nexus/security";
import type { Config } from "../env.ts";
import { ApiError } from "../lib/errors.ts";

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const SECRET_PREFIX_LENGTH = 12;

export function toEndpointView(row: EndpointRow, now = Date.now()): WebhookEndpoint {
  const overlap = row.previousSecretExpiresAt && row.previousSecretExpiresAt.getTime() > now;
  return {
    id: row.id,
    company_id: row.companyId,
    url: row.url,
    description: row.description,
    event_types: row.eventTypes as WebhookEndpoint["event_types"],
    enabled: row.enabled,
    disabled_reason: row.disabledReason,
    failing_since: row.failingSince?.toISOString() ?? null,
    secret_prefix: row.secretPrefix,
    previous_secret_expires_at: overlap ? (row.previousSecretExpiresAt?.toISOString() ?? null) : null,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

export function toDeliveryView(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpoint_id: row.endpointId,
    event_id: row.eventId,
    event_type: row.eventType as WebhookEventType,
    status: row.status,
    attempts: row.attempts,
    last_status_code: row.lastStatusCode,
    last_latency_ms: row.lastLatencyMs,
    last_error: row.lastError,
    next_attempt_at: row.status === "pending" ? (row.nextAttemptAt?.toISOString() ?? null) : null,
    created_at: row.createdAt.toISOString(),
    delivered_at: row.deliveredAt?.toISOString() ?? null,
  };
}

/** Refuses URLs deliveries must not reach under this deployment's policy (SSRF). */
export function requireAllowedUrl(config: Config, url: string): void {
  const problem = endpointUrlProblem(url, config.WEBHOOK_URL_POLICY);
  if (problem) {
    throw new ApiError("WEBHOOK_URL_NOT_ALLOWED", `The webhook URL ${problem}.`, {
      url_policy: config.WEBHOOK_URL_POLICY,
    });
  }
}

/** A new signing secret, its sealed form for the database and the prefix shown in listings. */
export async function newSealedSecret(config: Config, companyId: string) {
  const secret = newWebhookSecret();
  return {
    secret,
    encrypted: await encryptForCompany(config.ENCRYPTION_KEYS, companyId, secret),
    prefix: secret.slice(0, SECRET_PREFIX_LENGTH),
  };
}
