// Every few minutes: queue again the inbound webhooks that were kept but not processed (the API could
// not queue one, its message was lost, or the consumer gave up and the dead-letter consumer handed it
// back), with a growing delay between tries; after INBOUND_MAX_ATTEMPTS the event is marked failed
// and waits for the sender's retry or an operator's replay (GET/POST /api/admin/inbound-webhooks).
import {
  type EventsQueueMessage,
  INBOUND_MAX_ATTEMPTS,
  INBOUND_RETRY_FIRST_MS,
  INBOUND_RETRY_MAX_MS,
} from "@nexus/contracts";

const SWEEP_LIMIT = 500;

interface DueEvent {
  id: string;
  provider: string;
  event_id: string;
  attempts: number;
}

export async function sweepInboundWebhooks(
  db: D1Database,
  queue: Queue,
  now = Date.now(),
): Promise<{ requeued: number; failed: number }> {
  const { results } = await db
    .prepare(
      `SELECT id, provider, event_id, attempts FROM inbound_webhook_events
       WHERE state IN ('received', 'queued') AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`,
    )
    .bind(now, SWEEP_LIMIT)
    .all<DueEvent>();
  const spent = results.filter((event) => event.attempts >= INBOUND_MAX_ATTEMPTS);
  const due = results.filter((event) => event.attempts < INBOUND_MAX_ATTEMPTS);
  // Each statement re-checks the state, so an event the consumer processed meanwhile stays processed.
  const giveUp = spent.map((event) =>
    db
      .prepare(
        `UPDATE inbound_webhook_events SET state = 'failed', next_attempt_at = NULL,
           last_error = substr('gave up after ' || attempts || ' attempts; ' || coalesce(last_error, ''), 1, 500)
         WHERE id = ? AND state IN ('received', 'queued')`,
      )
      .bind(event.id),
  );
  if (giveUp.length > 0) await db.batch(giveUp);
  for (let start = 0; start < due.length; start += 100) {
    const chunk = due.slice(start, start + 100);
    await queue.sendBatch(
      chunk.map((event) => ({
        body: {
          kind: "inbound",
          provider: event.provider,
          event_id: event.event_id,
        } satisfies EventsQueueMessage,
      })),
    );
    // Marked after sending: if this write fails the event is swept again, and queued twice is harmless.
    await db.batch(
      chunk.map((event) =>
        db
          .prepare(
            `UPDATE inbound_webhook_events SET state = 'queued', attempts = attempts + 1,
               next_attempt_at = ? + min(? * (1 << min(attempts, 16)), ?)
             WHERE id = ? AND state IN ('received', 'queued')`,
          )
          .bind(now, INBOUND_RETRY_FIRST_MS, INBOUND_RETRY_MAX_MS, event.id),
      ),
    );
  }
  return { requeued: due.length, failed: spent.length };
}
