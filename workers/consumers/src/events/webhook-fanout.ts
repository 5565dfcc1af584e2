// Fans an outbox event out to the endpoints subscribed to it: one delivery row per endpoint (unique
// per event and endpoint, so a repeated fan-out adds nothing), then one queue message per delivery.
// The event is marked dispatched last, so a crash in between is repaired by the sweeper's resend.
import { type EventsQueueMessage, type WebhookEventType, webhookPayloadBody } from "@nexus/contracts";
import { newId } from "@nexus/db";
import {
  companies,
  companyUpdateAccess,
  webhookDeliveries,
  webhookEndpoints,
  webhookEvents,
} from "@nexus/db/central";
import { and, eq, exists, isNull, or, sql } from "drizzle-orm";
import { batchAll, type Orm, orm } from "../db.ts";

type EventRow = typeof webhookEvents.$inferSelect;

const endpointColumns = { id: webhookEndpoints.id, companyId: webhookEndpoints.companyId };

const subscribed = (type: string) =>
  and(
    eq(webhookEndpoints.enabled, true),
    sql`EXISTS (SELECT 1 FROM json_each(${webhookEndpoints.eventTypes}) WHERE value = ${type})`,
  );

/** Endpoints that get `event`: the company's own, or for a platform event every receiving company's. */
async function subscribers(db: Orm, event: EventRow): Promise<{ id: string; companyId: string }[]> {
  if (event.companyId !== null) {
    return db
      .select(endpointColumns)
      .from(webhookEndpoints)
      .where(and(subscribed(event.type), eq(webhookEndpoints.companyId, event.companyId)));
  }
  // Receivers of a release channel, as the update feed decides them (the company's own channel or an
  // explicit grant); suspended companies hear nothing. One bound JSON array for the channels.
  const channels = JSON.stringify(event.channels ?? []);
  return db
    .select(endpointColumns)
    .from(webhookEndpoints)
    .innerJoin(companies, eq(companies.id, webhookEndpoints.companyId))
    .where(
      and(
        subscribed(event.type),
        isNull(companies.suspendedAt),
        or(
          sql`${companies.updateChannel} IN (SELECT value FROM json_each(${channels}))`,
          exists(
            db
              .select({ one: sql`1` })
              .from(companyUpdateAccess)
              .where(
                and(
                  eq(companyUpdateAccess.companyId, companies.id),
                  sql`${companyUpdateAccess.channel} IN (SELECT value FROM json_each(${channels}))`,
                ),
              ),
          ),
        ),
      ),
    );
}

export async function fanOut(central: D1Database, queue: Queue, eventId: string): Promise<number> {
  const db = orm(central);
  const event = await db.select().from(webhookEvents).where(eq(webhookEvents.id, eventId)).get();
  // No row: the change it would report did not happen (a guarded write lost a race). Dispatched: a
  // duplicate message.
  if (!event || event.dispatchedAt !== null) return 0;
  const endpoints = await subscribers(db, event);
  // Every writer of the outbox (the API's eventStatement, health.ts) writes a WebhookEventType.
  const type = event.type as WebhookEventType;
  if (endpoints.length > 0) {
    await batchAll(
      db,
      endpoints.map((endpoint) =>
        db
          .insert(webhookDeliveries)
          .values({
            id: newId(),
            companyId: endpoint.companyId,
            endpointId: endpoint.id,
            eventId: event.id,
            eventType: type,
            payload: webhookPayloadBody({
              id: event.id,
              type,
              createdAt: event.createdAt,
              companyId: endpoint.companyId,
              data: event.data,
            }),
          })
          .onConflictDoNothing({ target: [webhookDeliveries.eventId, webhookDeliveries.endpointId] }),
      ),
    );
    const pending = await db
      .select({ id: webhookDeliveries.id, companyId: webhookDeliveries.companyId })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.eventId, event.id),
          eq(webhookDeliveries.status, "pending"),
          eq(webhookDeliveries.attempts, 0),
        ),
      );
    await sendDeliveries(queue, pending);
  }
  await db.update(webhookEvents).set({ dispatchedAt: new Date() }).where(eq(webhookEvents.id, event.id));
  return endpoints.length;
}

/** Queues one message per delivery, in the queue's batches of at most 100. */
export async function sendDeliveries(
  queue: Queue,
  deliveries: { id: string; companyId: string }[],
): Promise<void> {
  for (let start = 0; start < deliveries.length; start += 100) {
    await queue.sendBatch(
      deliveries.slice(start, start + 100).map((delivery) => ({
        body: {
          kind: "delivery",
          delivery_id: delivery.id,
          company_id: delivery.companyId,
        } satisfies EventsQueueMessage,
      })),
    );
  }
}
