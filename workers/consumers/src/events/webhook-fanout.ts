// Fans an outbox event out to the endpoints subscribed to it: one delivery row per endpoint (unique
// per event and endpoint, so a repeated fan-out adds nothing), then one queue message per delivery.
// The event is marked dispatched last, so a crash in between is repaired by the sweeper's resend.
import { type EventsQueueMessage, type WebhookEventType, webhookPayloadBody } from "@nexus/contracts";
import { newId } from "@nexus/db";

interface EventRow {
  id: string;
  company_id: string | null;
  type: WebhookEventType;
  data: string;
  channels: string | null;
  created_at: number;
  dispatched_at: number | null;
}

const SUBSCRIBED = "e.enabled = 1 AND EXISTS (SELECT 1 FROM json_each(e.event_types) WHERE value = ?1)";

/** Endpoints that get `event`: the company's own, or for a platform event every receiving company's. */
async function subscribers(db: D1Database, event: EventRow): Promise<{ id: string; company_id: string }[]> {
  if (event.company_id !== null) {
    const { results } = await db
      .prepare(`SELECT e.id, e.company_id FROM webhook_endpoints e WHERE ${SUBSCRIBED} AND e.company_id = ?2`)
      .bind(event.type, event.company_id)
      .all<{ id: string; company_id: string }>();
    return results;
  }
  // Receivers of a release channel, as the update feed decides them (the company's own channel or an
  // explicit grant); suspended companies hear nothing.
  const { results } = await db
    .prepare(
      `SELECT e.id, e.company_id FROM webhook_endpoints e JOIN companies c ON c.id = e.company_id
       WHERE ${SUBSCRIBED} AND c.suspended_at IS NULL AND (
         c.update_channel IN (SELECT value FROM json_each(?2))
         OR EXISTS (SELECT 1 FROM company_update_access a WHERE a.company_id = c.id
                    AND a.channel IN (SELECT value FROM json_each(?2))))`,
    )
    .bind(event.type, event.channels ?? "[]")
    .all<{ id: string; company_id: string }>();
  return results;
}

export async function fanOut(db: D1Database, queue: Queue, eventId: string): Promise<number> {
  const event = await db.prepare("SELECT * FROM webhook_events WHERE id = ?").bind(eventId).first<EventRow>();
  // No row: the change it would report did not happen (a guarded write lost a race). Dispatched: a
  // duplicate message.
  if (!event || event.dispatched_at !== null) return 0;
  const endpoints = await subscribers(db, event);
  const data = JSON.parse(event.data) as Record<string, unknown>;
  const createdAt = new Date(event.created_at);
  if (endpoints.length > 0) {
    await db.batch(
      endpoints.map((endpoint) =>
        db
          .prepare(
            `INSERT INTO webhook_deliveries (id, company_id, endpoint_id, event_id, event_type, payload)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id, endpoint_id) DO NOTHING`,
          )
          .bind(
            newId(),
            endpoint.company_id,
            endpoint.id,
            event.id,
            event.type,
            webhookPayloadBody({
              id: event.id,
              type: event.type,
              createdAt,
              companyId: endpoint.company_id,
              data,
            }),
          ),
      ),
    );
    const { results: pending } = await db
      .prepare(
        "SELECT id, company_id FROM webhook_deliveries WHERE event_id = ? AND status = 'pending' AND attempts = 0",
      )
      .bind(event.id)
      .all<{ id: string; company_id: string }>();
    await sendDeliveries(queue, pending);
  }
  await db
    .prepare("UPDATE webhook_events SET dispatched_at = ? WHERE id = ?")
    .bind(Date.now(), event.id)
    .run();
  return endpoints.length;
}

/** Queues one message per delivery, in the queue's batches of at most 100. */
export async function sendDeliveries(
  queue: Queue,
  deliveries: { id: string; company_id: string }[],
): Promise<void> {
  for (let start = 0; start < deliveries.length; start += 100) {
    await queue.sendBatch(
      deliveries.slice(start, start + 100).map((delivery) => ({
        body: {
          kind: "delivery",
          delivery_id: delivery.id,
          company_id: delivery.company_id,
        } satisfies EventsQueueMessage,
      })),
    );
  }
}
