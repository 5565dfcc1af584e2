// Company webhook endpoints: views, URL policy and secrets (sealed with the company's key, shown once),
// and the delivery log. Deliveries themselves are made by workers/consumers from the `nexus-events`
// queue; the API only queues them (test-send, redelivery).
import {
  type EventsQueueMessage,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEventType,
  WebhookPayloadSchema,
  webhookPayloadBody,
} from "@nexus/contracts";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@nexus/db/central";
import { encryptForCompany, endpointUrlProblem, newWebhookSecret } from "@nexus/security";
import { and, asc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { type AppEnv, type Config, getConfig } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { auditStatement } from "./audit.ts";
import { listPage, type PageRequest } from "./list-page.ts";

type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;
type AttemptRow = typeof webhookAttempts.$inferSelect;

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

const toAttemptView = (attempt: AttemptRow) => ({
  attempt: attempt.attempt,
  attempted_at: attempt.attemptedAt.toISOString(),
  status_code: attempt.statusCode,
  latency_ms: attempt.latencyMs,
  error: attempt.error,
  response_body: attempt.responseBody,
});

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

const endpointWhere = (companyId: string, endpointId: string) =>
  and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.companyId, companyId));

export async function loadEndpoint(c: Context<AppEnv>, companyId: string, endpointId: string) {
  const [row] = await c.get("db").select().from(webhookEndpoints).where(endpointWhere(companyId, endpointId));
  // Another company's endpoint id answers exactly like an unknown one.
  if (!row)
    throw new ApiError("WEBHOOK_ENDPOINT_NOT_FOUND", `This company has no webhook endpoint ${endpointId}.`);
  return row;
}

export async function loadDelivery(c: Context<AppEnv>, companyId: string, deliveryId: string) {
  const [row] = await c
    .get("db")
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.companyId, companyId)));
  if (!row)
    throw new ApiError("WEBHOOK_DELIVERY_NOT_FOUND", `This company has no webhook delivery ${deliveryId}.`);
  return row;
}

/** Puts a delivery on `nexus-events` as a manual one (attempted whatever its status). */
export async function queueDelivery(
  c: Context<AppEnv>,
  companyId: string,
  deliveryId: string,
): Promise<void> {
  const message: EventsQueueMessage = {
    kind: "delivery",
    delivery_id: deliveryId,
    company_id: companyId,
    manual: true,
  };
  try {
    await c.env.EVENTS_QUEUE.send(message);
  } catch {
    throw new ApiError("SERVICE_UNAVAILABLE", "The delivery could not be queued; try again.", {
      action: "retry",
    });
  }
}

/** The company's endpoints, oldest first. */
export async function companyEndpoints(c: Context<AppEnv>, companyId: string): Promise<EndpointRow[]> {
  return c
    .get("db")
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.companyId, companyId))
    .orderBy(asc(webhookEndpoints.createdAt));
}

export interface EndpointInput {
  url: string;
  description?: string | undefined;
  event_types: WebhookEndpoint["event_types"];
}

/** Subscribes a URL; the endpoint and its audit entry land together, the secret is returned once. */
export async function createEndpoint(c: Context<AppEnv>, companyId: string, input: EndpointInput) {
  const config = getConfig(c.env);
  requireAllowedUrl(config, input.url);
  const sealed = await newSealedSecret(config, companyId);
  const id = newId();
  const db = c.get("db");
  await db.batch([
    db.insert(webhookEndpoints).values({
      id,
      companyId,
      url: input.url,
      description: input.description ?? null,
      eventTypes: input.event_types,
      secretPrefix: sealed.prefix,
      encryptedSecret: sealed.encrypted,
      updatedAt: new Date(),
    }),
    auditStatement(c, {
      companyId,
      action: "webhook_endpoint.created",
      targetType: "webhook_endpoint",
      targetId: id,
      details: { url: input.url, event_types: input.event_types },
    }),
  ]);
  return { endpoint: await loadEndpoint(c, companyId, id), secret: sealed.secret };
}

export interface EndpointChanges {
  url?: string | undefined;
  description?: string | null | undefined;
  event_types?: WebhookEndpoint["event_types"] | undefined;
  enabled?: boolean | undefined;
}

export async function updateEndpoint(
  c: Context<AppEnv>,
  companyId: string,
  endpointId: string,
  input: EndpointChanges,
): Promise<EndpointRow> {
  await loadEndpoint(c, companyId, endpointId);
  if (input.url !== undefined) requireAllowedUrl(getConfig(c.env), input.url);
  const db = c.get("db");
  await db.batch([
    db
      .update(webhookEndpoints)
      .set({
        url: input.url,
        description: input.description,
        eventTypes: input.event_types,
        enabled: input.enabled,
        // Enabling (again) starts with a clean slate; disabling by hand says so.
        ...(input.enabled === true ? { disabledReason: null, failingSince: null } : {}),
        ...(input.enabled === false ? { disabledReason: "disabled by an administrator" } : {}),
        updatedAt: new Date(),
      })
      .where(endpointWhere(companyId, endpointId)),
    auditStatement(c, {
      companyId,
      action: "webhook_endpoint.updated",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      details: { changes: input },
    }),
  ]);
  return loadEndpoint(c, companyId, endpointId);
}

/** Deletes an endpoint (pending deliveries to it stop); answers with the row as it was. */
export async function deleteEndpoint(
  c: Context<AppEnv>,
  companyId: string,
  endpointId: string,
): Promise<EndpointRow> {
  const row = await loadEndpoint(c, companyId, endpointId);
  const db = c.get("db");
  await db.batch([
    db.delete(webhookEndpoints).where(endpointWhere(companyId, endpointId)),
    auditStatement(c, {
      companyId,
      action: "webhook_endpoint.deleted",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      details: { url: row.url },
    }),
  ]);
  return row;
}

/** A new secret, returned once; the old one keeps signing for `overlapHours` (0: not at all). */
export async function rotateSecret(
  c: Context<AppEnv>,
  companyId: string,
  endpointId: string,
  overlapHours: number,
) {
  const row = await loadEndpoint(c, companyId, endpointId);
  const sealed = await newSealedSecret(getConfig(c.env), companyId);
  const now = Date.now();
  const db = c.get("db");
  await db.batch([
    db
      .update(webhookEndpoints)
      .set({
        encryptedSecret: sealed.encrypted,
        secretPrefix: sealed.prefix,
        previousEncryptedSecret: overlapHours > 0 ? row.encryptedSecret : null,
        previousSecretExpiresAt: overlapHours > 0 ? new Date(now + overlapHours * 3_600_000) : null,
        updatedAt: new Date(now),
      })
      .where(endpointWhere(companyId, endpointId)),
    auditStatement(c, {
      companyId,
      action: "webhook_endpoint.secret_rotated",
      targetType: "webhook_endpoint",
      targetId: endpointId,
      details: { overlap_hours: overlapHours },
    }),
  ]);
  return { endpoint: await loadEndpoint(c, companyId, endpointId), secret: sealed.secret };
}

/** Writes a `webhook.test` event and its delivery to one endpoint, and queues the delivery. */
export async function sendTestEvent(
  c: Context<AppEnv>,
  companyId: string,
  endpointId: string,
): Promise<DeliveryRow> {
  await loadEndpoint(c, companyId, endpointId);
  const eventId = newId();
  const deliveryId = newId();
  const createdAt = new Date();
  const data = { endpoint_id: endpointId, message: "A test event from Nexus Central." };
  const db = c.get("db");
  // Created here rather than by the fan-out, so the answer can name the delivery to follow.
  await db.batch([
    db.insert(webhookEvents).values({
      id: eventId,
      companyId,
      type: "webhook.test",
      data,
      endpointId,
      createdAt,
      dispatchedAt: createdAt,
    }),
    db.insert(webhookDeliveries).values({
      id: deliveryId,
      companyId,
      endpointId,
      eventId,
      eventType: "webhook.test",
      payload: webhookPayloadBody({ id: eventId, type: "webhook.test", createdAt, companyId, data }),
    }),
  ]);
  await queueDelivery(c, companyId, deliveryId);
  return loadDelivery(c, companyId, deliveryId);
}

export interface DeliveryFilters {
  endpoint_id?: string | undefined;
  status?: DeliveryRow["status"] | undefined;
  event_type?: WebhookEventType | undefined;
}

/** One page of the company's delivery log, newest first. */
export function deliveryPage(
  c: Context<AppEnv>,
  companyId: string,
  page: PageRequest,
  filters: DeliveryFilters,
) {
  const t = webhookDeliveries;
  return listPage(
    page,
    t.id,
    [
      eq(t.companyId, companyId),
      filters.endpoint_id ? eq(t.endpointId, filters.endpoint_id) : undefined,
      filters.status ? eq(t.status, filters.status) : undefined,
      filters.event_type ? eq(t.eventType, filters.event_type) : undefined,
    ],
    ({ where, orderBy, limit }) => c.get("db").select().from(t).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
}

/** One delivery with its payload and every attempt, oldest first. */
export async function deliveryDetail(c: Context<AppEnv>, companyId: string, deliveryId: string) {
  const row = await loadDelivery(c, companyId, deliveryId);
  const attempts = await c
    .get("db")
    .select()
    .from(webhookAttempts)
    .where(eq(webhookAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookAttempts.attempt));
  return {
    delivery: toDeliveryView(row),
    payload: WebhookPayloadSchema.parse(JSON.parse(row.payload)),
    attempts: attempts.map(toAttemptView),
  };
}

/** Queues a delivery again (same event id and payload) and records who asked. */
export async function redeliver(
  c: Context<AppEnv>,
  companyId: string,
  deliveryId: string,
): Promise<DeliveryRow> {
  const row = await loadDelivery(c, companyId, deliveryId);
  await queueDelivery(c, companyId, deliveryId);
  await auditStatement(c, {
    companyId,
    action: "webhook_delivery.redelivered",
    targetType: "webhook_delivery",
    targetId: deliveryId,
    details: { event_id: row.eventId, endpoint_id: row.endpointId },
  });
  return row;
}
