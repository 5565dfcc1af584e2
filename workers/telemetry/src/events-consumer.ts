// The `nexus-events` consumer: fans outbox events out to endpoints, makes delivery attempts, and acts
// on verified inbound webhooks. Messages are independent, so they run concurrently and each one is
// acked or retried on its own; a malformed message is kept as a dead letter, not retried.
import { EventsQueueMessageSchema } from "@nexus/contracts";
import { type BillingEnv, stripeStatements } from "./billing.ts";
import { deadLetterStatement } from "./dead-letters.ts";
import { type DeliveryEnv, deliver, retryBaseSeconds, retryDelaySeconds } from "./webhook-delivery.ts";
import { fanOut } from "./webhook-fanout.ts";

export interface EventsEnv extends DeliveryEnv, BillingEnv {
  EVENTS_QUEUE: Queue;
}

/** Acts on an inbound webhook once: its effects and the processed mark land in one batch. */
async function applyInbound(env: EventsEnv, provider: string, eventId: string): Promise<void> {
  const db = env.CENTRAL_DB;
  const row = await db
    .prepare("SELECT payload, processed_at FROM inbound_webhook_events WHERE provider = ? AND event_id = ?")
    .bind(provider, eventId)
    .first<{ payload: string; processed_at: number | null }>();
  if (!row || row.processed_at !== null) return;
  // Only Stripe has effects so far; the others are kept (audit, replay protection) for integrations.
  const { statements, outcome } =
    provider === "stripe" ? await stripeStatements(env, row.payload) : { statements: [], outcome: "stored" };
  await db.batch([
    ...statements,
    db
      .prepare(
        "UPDATE inbound_webhook_events SET processed_at = ?, outcome = ? WHERE provider = ? AND event_id = ? AND processed_at IS NULL",
      )
      .bind(Date.now(), outcome, provider, eventId),
  ]);
}

async function handle(env: EventsEnv, queue: string, message: Message): Promise<void> {
  const parsed = EventsQueueMessageSchema.safeParse(message.body);
  if (!parsed.success) {
    console.error(JSON.stringify({ level: "error", event: "events_message_malformed", id: message.id }));
    // Kept as a dead letter at once rather than retried: it will never parse.
    await deadLetterStatement(env.CENTRAL_DB, queue, message).run();
    message.ack();
    return;
  }
  const body = parsed.data;
  switch (body.kind) {
    case "event":
      await fanOut(env.CENTRAL_DB, env.EVENTS_QUEUE, body.event_id);
      break;
    case "inbound":
      await applyInbound(env, body.provider, body.event_id);
      break;
    case "delivery": {
      const outcome = await deliver(env, body, message.attempts);
      if (outcome !== "done") {
        message.retry({ delaySeconds: outcome.retryDelaySeconds });
        return;
      }
      break;
    }
  }
  message.ack();
}

export async function consumeEvents(batch: MessageBatch, env: EventsEnv): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        await handle(env, batch.queue, message);
      } catch (error) {
        // Infrastructure trouble (D1, the queue): try again later with the same backoff.
        console.error(
          JSON.stringify({
            level: "error",
            event: "events_message_failed",
            id: message.id,
            error: String(error),
          }),
        );
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts, retryBaseSeconds(env)) });
      }
    }),
  );
}
