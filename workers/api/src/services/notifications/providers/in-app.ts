// In-app: the notification_messages row IS the inbox item, so storing it was the delivery; this
// provider only tells the recipient's open sockets (`notification.new` on the company's live socket).
// A user with no socket open reads it from the inbox API later, so a failed live push is not a
// failed delivery.
import type { InboxItem } from "@nexus/contracts";
import { errorText, type NotificationProvider, type OutgoingMessage } from "./types.ts";

export type NotifyUsers = (
  userIds: string[],
  message: { type: "notification.new"; notification: InboxItem },
) => Promise<unknown>;

export function inboxItem(message: OutgoingMessage): InboxItem {
  return {
    id: message.id,
    workflow: message.workflowKey,
    category: message.category,
    subject: message.subject,
    body: message.body,
    data: message.payload,
    created_at: new Date(message.createdAt).toISOString(),
    read_at: null,
    archived_at: null,
  };
}

export function inAppProvider(notify: NotifyUsers | null): NotificationProvider {
  return {
    name: "in_app",
    async send(message) {
      const userId = message.recipientKey.startsWith("user:") ? message.recipientKey.slice(5) : null;
      if (!userId) return { outcome: "skipped", reason: "in-app messages go to users only" };
      if (notify) {
        try {
          await notify([userId], { type: "notification.new", notification: inboxItem(message) });
        } catch (error) {
          console.warn(
            JSON.stringify({
              level: "warn",
              event: "notification_live_push_failed",
              message_id: message.id,
              error: errorText(error),
            }),
          );
        }
      }
      return { outcome: "sent", providerMessageId: null, httpStatus: null, delivered: true };
    },
  };
}
