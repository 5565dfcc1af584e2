// The dead-letter queues' consumer: a message that failed every retry is kept in the central
// database (table dead_letters) with its body, so operators can see why and replay it; nothing is
// dropped silently. Inserting by (queue, message id) makes a redelivered dead letter a no-op.
import { newId } from "@nexus/db";

export async function keepDeadLetters(batch: MessageBatch, central: D1Database): Promise<void> {
  const statements = batch.messages.map((message) => {
    const body = message.body as { company_id?: unknown } | null;
    const companyId = body && typeof body.company_id === "string" ? body.company_id : null;
    return central
      .prepare(
        `INSERT INTO dead_letters (id, queue, message_id, company_id, body, attempts) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (queue, message_id) DO NOTHING`,
      )
      .bind(
        newId(),
        batch.queue,
        message.id,
        companyId,
        JSON.stringify(message.body ?? null),
        message.attempts,
      );
  });
  if (statements.length > 0) await central.batch(statements);
  console.error(
    JSON.stringify({
      level: "alert",
      event: "dead_letters_kept",
      queue: batch.queue,
      count: statements.length,
    }),
  );
  batch.ackAll();
}
