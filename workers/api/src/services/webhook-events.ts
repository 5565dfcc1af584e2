// Outbound webhook events, written to the outbox (webhook_events) in the same D1 batch as the change
// they report, then announced on the `nexus-events` queue for workers/consumers to fan out. If the
// announcement is lost, the consumers worker's sweeper finds the undispatched row and sends it.
import type { EventsQueueMessage, WebhookEventData, WebhookEventType } from "@nexus/contracts";
import { webhookEvents } from "@nexus/db/central";
import { sql } from "drizzle-orm";
import type { CentralDb } from "../env.ts";
import { newId } from "../lib/ids.ts";

export interface OutboundEvent<T extends WebhookEventType> {
  /** null: a platform event for every company receiving one of `channels`. */
  companyId: string | null;
  type: T;
  data: WebhookEventData<T>;
  channels?: string[];
  /** Only this endpoint (test sends). */
  endpointId?: string;
}

/**
 * The outbox row for `event`, to put in the batch that makes the change. With `ifPreviousChanged`
 * the row is written only if the batch's previous statement changed a row (a guarded UPDATE that
 * lost a race writes no event).
 */
export function eventStatement<T extends WebhookEventType>(
  db: CentralDb,
  event: OutboundEvent<T>,
  options: { ifPreviousChanged?: boolean } = {},
) {
  const id = newId();
  const condition = options.ifPreviousChanged ? sql`changes() > 0` : sql`1`;
  // Raw: an INSERT … SELECT … WHERE changes() > 0 is the only way to make the row depend on the batch's
  // previous statement, and drizzle's insert has no condition. Every column, in the table's order (an
  // INSERT … SELECT names them all).
  const statement = db.insert(webhookEvents).select(
    sql`SELECT ${id}, ${event.companyId}, ${event.type}, ${JSON.stringify(event.data)},
      ${event.channels ? JSON.stringify(event.channels) : null}, ${event.endpointId ?? null}, ${Date.now()}, NULL
      WHERE ${condition}`,
  );
  return { id, statement };
}

/**
 * Announces committed outbox rows. Never throws: the change is already made, and an event whose
 * announcement failed is sent by the sweeper within minutes.
 */
export async function dispatchEvents(env: Env, eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  try {
    await env.EVENTS_QUEUE.sendBatch(
      eventIds.map((id) => ({ body: { kind: "event", event_id: id } satisfies EventsQueueMessage })),
    );
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "warn",
        event: "event_dispatch_deferred",
        count: eventIds.length,
        error: String(error),
      }),
    );
  }
}
