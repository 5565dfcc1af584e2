// A company's webhook endpoints and delivery log. Deliveries themselves are made by workers/consumers
// from the `nexus-events` queue; these routes only queue them (test-send, redelivery).
import { type EventsQueueMessage, routes, WebhookPayloadSchema, webhookPayloadBody } from "@nexus/contracts";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@nexus/db/central";
import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, pageOf, validParams, validQuery } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import {
  newSealedSecret,
  requireAllowedUrl,
  toDeliveryView,
  toEndpointView,
} from "../../services/webhook-endpoints.ts";

const {
  listWebhookEndpoints,
  createWebhookEndpoint,
  updateWebhookEndpoint,
  deleteWebhookEndpoint,
  rotateWebhookSecret,
  testWebhookEndpoint,
  listWebhookDeliveries,
  getWebhookDelivery,
  redeliverWebhook,
} = routes;

async function loadEndpoint(c: Context<AppEnv>, companyId: string, endpointId: string) {
  const [row] = await c
    .get("db")
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.companyId, companyId)));
  // Another company's endpoint id answers exactly like an unknown one.
  if (!row)
    throw new ApiError("WEBHOOK_ENDPOINT_NOT_FOUND", `This company has no webhook endpoint ${endpointId}.`);
  return row;
}

async function loadDelivery(c: Context<AppEnv>, companyId: string, deliveryId: string) {
  const [row] = await c
    .get("db")
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.companyId, companyId)));
  if (!row)
    throw new ApiError("WEBHOOK_DELIVERY_NOT_FOUND", `This company has no webhook delivery ${deliveryId}.`);
  return row;
}

async function queueDelivery(c: Context<AppEnv>, companyId: string, deliveryId: string): Promise<void> {
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

export const webhookAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listWebhookEndpoints.path), validParams(listWebhookEndpoints.params), async (c) => {
    const { companyId } = c.req.valid("param");
    const rows = await c
      .get("db")
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.companyId, companyId))
      .orderBy(asc(webhookEndpoints.createdAt));
    return c.json({ success: true as const, endpoints: rows.map((row) => toEndpointView(row)) });
  })
  .post(
    honoPath(createWebhookEndpoint.path),
    validParams(createWebhookEndpoint.params),
    jsonBody(createWebhookEndpoint.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const input = c.req.valid("json");
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
      const endpoint = toEndpointView(await loadEndpoint(c, companyId, id));
      return c.json({ success: true as const, endpoint, secret: sealed.secret }, 201);
    },
  )
  .patch(
    honoPath(updateWebhookEndpoint.path),
    validParams(updateWebhookEndpoint.params),
    jsonBody(updateWebhookEndpoint.body),
    async (c) => {
      const { companyId, endpointId } = c.req.valid("param");
      const input = c.req.valid("json");
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
          .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.companyId, companyId))),
        auditStatement(c, {
          companyId,
          action: "webhook_endpoint.updated",
          targetType: "webhook_endpoint",
          targetId: endpointId,
          details: { changes: input },
        }),
      ]);
      return c.json({
        success: true as const,
        endpoint: toEndpointView(await loadEndpoint(c, companyId, endpointId)),
      });
    },
  )
  .delete(honoPath(deleteWebhookEndpoint.path), validParams(deleteWebhookEndpoint.params), async (c) => {
    const { companyId, endpointId } = c.req.valid("param");
    const row = await loadEndpoint(c, companyId, endpointId);
    const db = c.get("db");
    await db.batch([
      db
        .delete(webhookEndpoints)
        .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.companyId, companyId))),
      auditStatement(c, {
        companyId,
        action: "webhook_endpoint.deleted",
        targetType: "webhook_endpoint",
        targetId: endpointId,
        details: { url: row.url },
      }),
    ]);
    return c.json({ success: true as const, endpoint: toEndpointView(row) });
  })
  .post(
    honoPath(rotateWebhookSecret.path),
    validParams(rotateWebhookSecret.params),
    jsonBody(rotateWebhookSecret.body),
    async (c) => {
      const { companyId, endpointId } = c.req.valid("param");
      const { overlap_hours } = c.req.valid("json");
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
            previousEncryptedSecret: overlap_hours > 0 ? row.encryptedSecret : null,
            previousSecretExpiresAt: overlap_hours > 0 ? new Date(now + overlap_hours * 3_600_000) : null,
            updatedAt: new Date(now),
          })
          .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.companyId, companyId))),
        auditStatement(c, {
          companyId,
          action: "webhook_endpoint.secret_rotated",
          targetType: "webhook_endpoint",
          targetId: endpointId,
          details: { overlap_hours },
        }),
      ]);
      const endpoint = toEndpointView(await loadEndpoint(c, companyId, endpointId));
      return c.json({ success: true as const, endpoint, secret: sealed.secret });
    },
  )
  .post(honoPath(testWebhookEndpoint.path), validParams(testWebhookEndpoint.params), async (c) => {
    const { companyId, endpointId } = c.req.valid("param");
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
    return c.json(
      { success: true as const, delivery: toDeliveryView(await loadDelivery(c, companyId, deliveryId)) },
      202,
    );
  })
  .get(
    honoPath(listWebhookDeliveries.path),
    validParams(listWebhookDeliveries.params),
    validQuery(listWebhookDeliveries.query),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { limit, cursor, endpoint_id, status, event_type } = c.req.valid("query");
      const rows = await c
        .get("db")
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.companyId, companyId),
            endpoint_id ? eq(webhookDeliveries.endpointId, endpoint_id) : undefined,
            status ? eq(webhookDeliveries.status, status) : undefined,
            event_type ? eq(webhookDeliveries.eventType, event_type) : undefined,
            cursor ? lt(webhookDeliveries.id, cursor) : undefined,
          ),
        )
        .orderBy(desc(webhookDeliveries.id))
        .limit(limit + 1);
      const page = pageOf(rows, limit);
      return c.json({
        success: true as const,
        deliveries: page.items.map(toDeliveryView),
        next_cursor: page.nextCursor,
      });
    },
  )
  .get(honoPath(getWebhookDelivery.path), validParams(getWebhookDelivery.params), async (c) => {
    const { companyId, deliveryId } = c.req.valid("param");
    const row = await loadDelivery(c, companyId, deliveryId);
    const attempts = await c
      .get("db")
      .select()
      .from(webhookAttempts)
      .where(eq(webhookAttempts.deliveryId, deliveryId))
      .orderBy(asc(webhookAttempts.attempt));
    return c.json({
      success: true as const,
      delivery: toDeliveryView(row),
      payload: WebhookPayloadSchema.parse(JSON.parse(row.payload)),
      attempts: attempts.map((attempt) => ({
        attempt: attempt.attempt,
        attempted_at: attempt.attemptedAt.toISOString(),
        status_code: attempt.statusCode,
        latency_ms: attempt.latencyMs,
        error: attempt.error,
        response_body: attempt.responseBody,
      })),
    });
  })
  .post(honoPath(redeliverWebhook.path), validParams(redeliverWebhook.params), async (c) => {
    const { companyId, deliveryId } = c.req.valid("param");
    const row = await loadDelivery(c, companyId, deliveryId);
    await queueDelivery(c, companyId, deliveryId);
    await auditStatement(c, {
      companyId,
      action: "webhook_delivery.redelivered",
      targetType: "webhook_delivery",
      targetId: deliveryId,
      details: { event_id: row.eventId, endpoint_id: row.endpointId },
    });
    return c.json({ success: true as const, delivery: toDeliveryView(row) }, 202);
  });
