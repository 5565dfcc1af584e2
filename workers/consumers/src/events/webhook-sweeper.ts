// Every few minutes: announce outbox events whose queue message was lost (the API could not send it,
// or the fan-out stopped half way), and queue deliveries created but never attempted.
import type { EventsQueueMessage } from "@nexus/contracts";
import { inboundWebhookEvents, webhookDeliveries, webhookEvents } from "@nexus/db/central";
import { and, eq, isNotNull, isNull, lt, ne } from "drizzle-orm";
import { orm } from "../db.ts";
import { sendDeliveries } from "./webhook-fanout.ts";

/** Older than this, an undispatched event or unattempted delivery is taken as lost, not in flight. */
const EVENT_GRACE_MS = 60_000;
const DELIVERY_GRACE_MS = 10 * 60_000;
const SWEEP_LIMIT = 500;
const DAY_MS = 86_400_000;
/** Events, deliveries with their attempts, and inbound event ids are kept this long. */
export const WEBHOOK_RETENTION_DAYS = 30;

export async function sweepWebhooks(
  central: D1Database,
  queue: Queue,
  now = Date.now(),
): Promise<{ events: number; deliveries: number }> {
  const db = orm(central);
  const events = await db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(
      and(isNull(webhookEvents.dispatchedAt), lt(webhookEvents.createdAt, new Date(now - EVENT_GRACE_MS))),
    )
    .orderBy(webhookEvents.createdAt)
    .limit(SWEEP_LIMIT);
  for (let start = 0; start < events.length; start += 100) {
    await queue.sendBatch(
      events
        .slice(start, start + 100)
        .map((event) => ({ body: { kind: "event", event_id: event.id } satisfies EventsQueueMessage })),
    );
  }
  const deliveries = await db
    .select({ id: webhookDeliveries.id, companyId: webhookDeliveries.companyId })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        eq(webhookDeliveries.attempts, 0),
        lt(webhookDeliveries.createdAt, new Date(now - DELIVERY_GRACE_MS)),
      ),
    )
    .limit(SWEEP_LIMIT);
  await sendDeliveries(queue, deliveries);
  return { events: events.length, deliveries: deliveries.length };
}

/** Daily: forget webhook history past the retention (attempts go with their deliveries). */
export async function purgeOldWebhooks(central: D1Database, now = Date.now()): Promise<void> {
  const cutoff = new Date(now - WEBHOOK_RETENTION_DAYS * DAY_MS);
  const db = orm(central);
  await db.batch([
    db
      .delete(webhookDeliveries)
      .where(and(lt(webhookDeliveries.createdAt, cutoff), ne(webhookDeliveries.status, "pending"))),
    db
      .delete(webhookEvents)
      .where(and(lt(webhookEvents.createdAt, cutoff), isNotNull(webhookEvents.dispatchedAt))),
    db
      .delete(inboundWebhookEvents)
      .where(and(lt(inboundWebhookEvents.receivedAt, cutoff), isNotNull(inboundWebhookEvents.processedAt))),
  ]);
}
