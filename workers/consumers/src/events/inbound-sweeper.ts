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
import { inboundWebhookEvents } from "@nexus/db/central";
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { batchAll, orm } from "../db.ts";

const SWEEP_LIMIT = 500;

const t = inboundWebhookEvents;
const unprocessed = inArray(t.state, ["received", "queued"]);

export async function sweepInboundWebhooks(
  central: D1Database,
  queue: Queue,
  now = Date.now(),
): Promise<{ requeued: number; failed: number }> {
  const db = orm(central);
  const results = await db
    .select({ id: t.id, provider: t.provider, eventId: t.eventId, attempts: t.attempts })
    .from(t)
    .where(and(unprocessed, lte(t.nextAttemptAt, new Date(now))))
    .orderBy(t.nextAttemptAt)
    .limit(SWEEP_LIMIT);
  const spent = results.filter((event) => event.attempts >= INBOUND_MAX_ATTEMPTS);
  const due = results.filter((event) => event.attempts < INBOUND_MAX_ATTEMPTS);
  // Each statement re-checks the state, so an event the consumer processed meanwhile stays processed.
  await batchAll(
    db,
    spent.map((event) =>
      db
        .update(t)
        .set({
          state: "failed",
          nextAttemptAt: null,
          lastError: sql`substr('gave up after ' || ${t.attempts} || ' attempts; ' || coalesce(${t.lastError}, ''), 1, 500)`,
        })
        .where(and(eq(t.id, event.id), unprocessed)),
    ),
  );
  for (let start = 0; start < due.length; start += 100) {
    const chunk = due.slice(start, start + 100);
    await queue.sendBatch(
      chunk.map((event) => ({
        body: {
          kind: "inbound",
          provider: event.provider,
          event_id: event.eventId,
        } satisfies EventsQueueMessage,
      })),
    );
    // Marked after sending: if this write fails the event is swept again, and queued twice is harmless.
    await batchAll(
      db,
      chunk.map((event) =>
        db
          .update(t)
          .set({
            state: "queued",
            attempts: sql`${t.attempts} + 1`,
            nextAttemptAt: sql`${now} + min(${INBOUND_RETRY_FIRST_MS} * (1 << min(${t.attempts}, 16)), ${INBOUND_RETRY_MAX_MS})`,
          })
          .where(and(eq(t.id, event.id), unprocessed)),
      ),
    );
  }
  return { requeued: due.length, failed: spent.length };
}
