// The dead-letter queues' consumer: a message that failed every retry is kept in the central
// database (table dead_letters) with its body, so operators can see why and replay it; nothing is
// dropped silently. Inserting by (queue, message id) makes a redelivered dead letter a no-op.
// A webhook delivery that ends here is marked failed in the delivery log as well; an inbound webhook
// is handed back to the sweeper (state received, due now), which retries it with backoff until its cap.
import { newId } from "@nexus/db";

export function deadLetterStatement(
  central: D1Database,
  queue: string,
  message: Message,
): D1PreparedStatement {
  const body = message.body as { company_id?: unknown } | null;
  const companyId = body && typeof body.company_id === "string" ? body.company_id : null;
  return central
    .prepare(
      `INSERT INTO dead_letters (id, queue, message_id, company_id, body, attempts) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (queue, message_id) DO NOTHING`,
    )
    .bind(newId(), queue, message.id, companyId, JSON.stringify(message.body ?? null), message.attempts);
}

function failedDeliveryStatement(central: D1Database, message: Message): D1PreparedStatement | null {
  const body = message.body as { kind?: unknown; delivery_id?: unknown } | null;
  if (body?.kind !== "delivery" || typeof body.delivery_id !== "string") return null;
  return central
    .prepare("UPDATE webhook_deliveries SET status = 'failed' WHERE id = ? AND status = 'pending'")
    .bind(body.delivery_id);
}

function inboundRetryStatement(
  central: D1Database,
  message: Message,
  now: number,
): D1PreparedStatement | null {
  const body = message.body as { kind?: unknown; provider?: unknown; event_id?: unknown } | null;
  if (body?.kind !== "inbound" || typeof body.provider !== "string" || typeof body.event_id !== "string") {
    return null;
  }
  return central
    .prepare(
      `UPDATE inbound_webhook_events SET state = 'received', next_attempt_at = ?,
         last_error = substr('dead-lettered: the consumer failed every retry; ' || coalesce(last_error, ''), 1, 500)
       WHERE provider = ? AND event_id = ? AND state IN ('received', 'queued')`,
    )
    .bind(now, body.provider, body.event_id);
}

export async function keepDeadLetters(batch: MessageBatch, central: D1Database): Promise<void> {
  const now = Date.now();
  const statements = batch.messages.flatMap((message) => {
    const failed = failedDeliveryStatement(central, message);
    const inbound = inboundRetryStatement(central, message, now);
    return [
      deadLetterStatement(central, batch.queue, message),
      ...(failed ? [failed] : []),
      ...(inbound ? [inbound] : []),
    ];
  });
  if (statements.length > 0) await central.batch(statements);
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
