// The dead-letter queues' consumer: a message that failed every retry is kept in the central
// database (table dead_letters) with its body, so operators can see why and replay it; nothing is
// dropped silently. Inserting by (queue, message id) makes a redelivered dead letter a no-op.
// A webhook delivery that ends here is marked failed in the delivery log as well; an inbound webhook
// is handed back to the sweeper (state received, due now), which retries it with backoff until its cap.
import { newId } from "@nexus/db";
import { deadLetters, inboundWebhookEvents, webhookDeliveries } from "@nexus/db/central";
import { and, eq, inArray, sql } from "drizzle-orm";
import { batchAll, type Orm, orm, type Statement } from "../db.ts";

export function deadLetterStatement(db: Orm, queue: string, message: Message) {
  const body = message.body as { company_id?: unknown } | null;
  const companyId = body && typeof body.company_id === "string" ? body.company_id : null;
  return db
    .insert(deadLetters)
    .values({
      id: newId(),
      queue,
      messageId: message.id,
      companyId,
      // The JSON text itself: the json column would store a missing or null body as SQL NULL.
      body: sql`${JSON.stringify(message.body ?? null)}`,
      attempts: message.attempts,
    })
    .onConflictDoNothing({ target: [deadLetters.queue, deadLetters.messageId] });
}

function failedDeliveryStatement(db: Orm, message: Message): Statement | null {
  const body = message.body as { kind?: unknown; delivery_id?: unknown } | null;
  if (body?.kind !== "delivery" || typeof body.delivery_id !== "string") return null;
  return db
    .update(webhookDeliveries)
    .set({ status: "failed" })
    .where(and(eq(webhookDeliveries.id, body.delivery_id), eq(webhookDeliveries.status, "pending")));
}

function inboundRetryStatement(db: Orm, message: Message, now: number): Statement | null {
  const body = message.body as { kind?: unknown; provider?: unknown; event_id?: unknown } | null;
  if (body?.kind !== "inbound" || typeof body.provider !== "string" || typeof body.event_id !== "string") {
    return null;
  }
  const t = inboundWebhookEvents;
  return db
    .update(t)
    .set({
      state: "received",
      nextAttemptAt: new Date(now),
      lastError: sql`substr('dead-lettered: the consumer failed every retry; ' || coalesce(${t.lastError}, ''), 1, 500)`,
    })
    .where(
      and(
        eq(t.provider, body.provider),
        eq(t.eventId, body.event_id),
        inArray(t.state, ["received", "queued"]),
      ),
    );
}

export async function keepDeadLetters(batch: MessageBatch, central: D1Database): Promise<void> {
  const now = Date.now();
  const db = orm(central);
  const statements = batch.messages.flatMap((message) => {
    const failed = failedDeliveryStatement(db, message);
    const inbound = inboundRetryStatement(db, message, now);
    return [
      deadLetterStatement(db, batch.queue, message),
      ...(failed ? [failed] : []),
      ...(inbound ? [inbound] : []),
    ];
  });
  await batchAll(db, statements);
  console.error(
    JSON.stringify({
      level: "alert",
      event: "dead_letters_kept",
      queue: batch.queue,
      count: batch.messages.length,
    }),
  );
  batch.ackAll();
}
