// Notifications: trigger a workflow, and the history of messages with their attempts.
import type { Operation } from "../../lib/operation.ts";
import { getNotificationMessage } from "./get-notification-message.ts";
import { listNotificationMessages } from "./list-notification-messages.ts";
import { triggerNotification } from "./trigger-notification.ts";

export const notificationsOperations: Operation[] = [
  triggerNotification,
  listNotificationMessages,
  getNotificationMessage,
];
