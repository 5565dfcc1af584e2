// The `nexus-events` consumer: fans outbox events out to endpoints, makes delivery attempts, and acts
// on verified inbound webhooks. Messages are independent, so they run concurrently and each one is
// acked or retried on its own; a malformed message is kept as a dead letter, not retried.
import { EventsQueueMessageSchema } from "@nexus/contracts";
import { errorText } from "@nexus/db";
import { inboundWebhookEvents } from "@nexus/db/central";
import { cachingResolver, dnsOverHttpsResolver, type HostResolver } from "@nexus/security";
import { and, eq, ne } from "drizzle-orm";
import { orm } from "../db.ts";
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
  const db = orm(env.CENTRAL_DB);
  const t = inboundWebhookEvents;
  const thisEvent = and(eq(t.provider, provider), eq(t.eventId, eventId));
  const row = await db.select({ payload: t.payload, state: t.state }).from(t).where(thisEvent).get();
  if (!row || row.state === "processed") return;
  const unprocessed = and(thisEvent, ne(t.state, "processed"));
  try {
    // Only Stripe has effects so far; the others are kept (audit, replay protection) for integrations.
    const { statements, outcome } =
      provider === "stripe"
        ? await stripeStatements(env, row.payload)
        : { statements: [], outcome: "stored" };
    await db.batch([
      db
        .update(t)
        .set({ state: "processed", processedAt: new Date(), outcome, nextAttemptAt: null })
        .where(unprocessed),
      ...statements,
    ]);
  } catch (error) {
    // Kept on the event for operators; the queue retries the message, then the sweeper.
    await db
      .update(t)
      .set({ lastError: `processing failed: ${errorText(error)}`.slice(0, 500) })
      .where(unprocessed)
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
    await deadLetterStatement(orm(env.CENTRAL_DB), queue, message).run();
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
            error: errorText(error),
          }),
        );
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts, retryBaseSeconds(env)) });
      }
    }),
  );
}
