// The `nexus-notifications` consumer: one queue, three kinds of message (docs/notifications.md).
// - deliver: one provider attempt for one message (services/notifications/deliver.ts), retried by
//   the consumer itself with growing delays;
// - trigger: a system event (from workers/consumers or a place that cannot wait) runs a workflow;
// - release: the company hub's alarm hands back messages held for quiet hours or a digest.
// A message that throws (a database that cannot be reached) is retried by the queue, and after its
// max_retries lands in nexus-notifications-dlq, which workers/consumers keeps as a dead letter.
import { type DeliverQueueMessage, deliverMessage } from "../services/notifications/deliver.ts";
import { releaseHeld } from "../services/notifications/release.ts";
import { runTrigger, type TriggerQueueMessage } from "../services/notifications/system-events.ts";

export interface ReleaseQueueMessage {
  kind: "release";
  company_id: string;
  message_ids: string[];
}

export type NotificationsQueueMessage = DeliverQueueMessage | TriggerQueueMessage | ReleaseQueueMessage;

function parse(body: unknown): NotificationsQueueMessage | null {
  if (!body || typeof body !== "object") return null;
  const { kind, company_id: companyId } = body as { kind?: unknown; company_id?: unknown };
  if (typeof companyId !== "string" || companyId === "") return null;
  if (kind === "deliver" && typeof (body as { message_id?: unknown }).message_id === "string") {
    return body as DeliverQueueMessage;
  }
  // runTrigger validates the rest of a trigger (and drops one that can never run).
  if (kind === "trigger") return body as TriggerQueueMessage;
  if (kind === "release" && Array.isArray((body as { message_ids?: unknown }).message_ids)) {
    return body as ReleaseQueueMessage;
  }
  return null;
}

async function handle(message: Message, env: Env): Promise<void> {
  const body = parse(message.body);
  if (!body) {
    // Retrying a message nobody understands would only fill the dead-letter queue later.
    console.error(
      JSON.stringify({ level: "error", event: "notification_queue_message_unknown", id: message.id }),
    );
    message.ack();
    return;
  }
  switch (body.kind) {
    case "deliver": {
      const verdict = await deliverMessage(env, body, message.attempts);
      if (verdict.action === "retry") message.retry({ delaySeconds: verdict.delaySeconds });
      else message.ack();
      return;
    }
    case "trigger":
      await runTrigger(env, body);
      message.ack();
      return;
    case "release":
      await releaseHeld(env, body.company_id, body.message_ids);
      message.ack();
      return;
  }
}

export async function handleNotificationsBatch(batch: MessageBatch, env: Env): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        await handle(message, env);
      } catch (error) {
        console.error(
          JSON.stringify({
            level: "error",
            event: "notification_queue_message_failed",
            id: message.id,
            attempts: message.attempts,
            error: String(error),
          }),
        );
        message.retry();
      }
    }),
  );
}
