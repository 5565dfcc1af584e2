// Every few minutes: announce outbox events whose queue message was lost (the API could not send it,
// or the fan-out stopped half way), and queue deliveries created but never attempted.
import type { EventsQueueMessage } from "@nexus/contracts";
import { sendDeliveries } from "./webhook-fanout.ts";

/** Older than this, an undispatched event or unattempted delivery is taken as lost, not in flight. */
const EVENT_GRACE_MS = 60_000;
const DELIVERY_GRACE_MS = 10 * 60_000;
const SWEEP_LIMIT = 500;
const DAY_MS = 86_400_000;
/** Events, deliveries with their attempts, and inbound event ids are kept this long. */
export const WEBHOOK_RETENTION_DAYS = 30;

export async function sweepWebhooks(
  db: D1Database,
  queue: Queue,
  now = Date.now(),
): Promise<{ events: number; deliveries: number }> {
  const { results: events } = await db
    .prepare(
      "SELECT id FROM webhook_events WHERE dispatched_at IS NULL AND created_at < ? ORDER BY created_at LIMIT ?",
    )
    .bind(now - EVENT_GRACE_MS, SWEEP_LIMIT)
    .all<{ id: string }>();
  for (let start = 0; start < events.length; start += 100) {
    await queue.sendBatch(
      events
        .slice(start, start + 100)
        .map((event) => ({ body: { kind: "event", event_id: event.id } satisfies EventsQueueMessage })),
    );
  }
  const { results: deliveries } = await db
    .prepare(
      "SELECT id, company_id FROM webhook_deliveries WHERE status = 'pending' AND attempts = 0 AND created_at < ? LIMIT ?",
    )
    .bind(now - DELIVERY_GRACE_MS, SWEEP_LIMIT)
    .all<{ id: string; company_id: string }>();
  await sendDeliveries(queue, deliveries);
  return { events: events.length, deliveries: deliveries.length };
}

/** Daily: forget webhook history past the retention (attempts go with their deliveries). */
export async function purgeOldWebhooks(db: D1Database, now = Date.now()): Promise<void> {
  const cutoff = now - WEBHOOK_RETENTION_DAYS * DAY_MS;
  await db.batch([
    db.prepare("DELETE FROM webhook_deliveries WHERE created_at < ? AND status != 'pending'").bind(cutoff),
    db.prepare("DELETE FROM webhook_events WHERE created_at < ? AND dispatched_at IS NOT NULL").bind(cutoff),
    db
      .prepare("DELETE FROM inbound_webhook_events WHERE received_at < ? AND processed_at IS NOT NULL")
      .bind(cutoff),
  ]);
}
