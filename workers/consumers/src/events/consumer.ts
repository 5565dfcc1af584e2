// The `nexus-events` consumer: fans outbox events out to endpoints, makes delivery attempts, and acts
// on verified inbound webhooks. Messages are independent, so they run concurrently and each one is
// acked or retried on its own; a malformed message is kept as a dead letter, not retried.
import { EventsQueueMessageSchema } from "@nexus/contracts";
import { cachingResolver, dnsOverHttpsResolver, type HostResolver } from "@nexus/security";
import { deadLetterStatement } from "../dead-letters/consumer.ts";
import { type BillingEnv, stripeStatements } from "./billing.ts";
import { type DeliveryEnv, deliver, retryBaseSeconds, retryDelaySeconds } from "./webhook-delivery.ts";
import { fanOut } from "./webhook-fanout.ts";

export interface EventsEnv extends DeliveryEnv, BillingEnv {
  EVENTS_QUEUE: Queue;
}

/**
 * Acts on an inbound webhook once. The processed mark comes first in the batch and its effects are
 * guarded on it having changed the row, so when the same event is queued twice (a sender's retry,
 * the sweeper, an operator's replay) and two consumers run it at once, only one applies it.
 */
async function applyInbound(env: EventsEnv, provider: string, eventId: string): Promise<void> {
  const db = env.CENTRAL_DB;
  const row = await db
    .prepare("SELECT payload, state FROM inbound_webhook_events WHERE provider = ? AND event_id = ?")
    .bind(provider, eventId)
    .first<{ payload: string; state: string }>();
  if (!row || row.state === "processed") return;
  try {
    // Only Stripe has effects so far; the others are kept (audit, replay protection) for integrations.
    const { statements, outcome } =
      provider === "stripe"
        ? await stripeStatements(env, row.payload)
        : { statements: [], outcome: "stored" };
    await db.batch([
      db
        .prepare(
          `UPDATE inbound_webhook_events SET state = 'processed', processed_at = ?, outcome = ?, next_attempt_at = NULL
           WHERE provider = ? AND event_id = ? AND state != 'processed'`,
        )
        .bind(Date.now(), outcome, provider, eventId),
      ...statements,
    ]);
  } catch (error) {
    // Kept on the event for operators; the queue retries the message, then the sweeper.
    await db
      .prepare(
        "UPDATE inbound_webhook_events SET last_error = ? WHERE provider = ? AND event_id = ? AND state != 'processed'",
      )
      .bind(`processing failed: ${String(error)}`.slice(0, 500), provider, eventId)
      .run()
      .catch(() => undefined);
    throw error;
  }
}

async function handle(
  env: EventsEnv,
  queue: string,
  message: Message,
  resolver: HostResolver,
): Promise<void> {
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
      const outcome = await deliver(env, body, message.attempts, resolver);
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
  // Webhook hosts' DNS answers are shared by the batch's deliveries, and by no later batch.
  const resolver = cachingResolver(dnsOverHttpsResolver());
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        await handle(env, batch.queue, message, resolver);
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
