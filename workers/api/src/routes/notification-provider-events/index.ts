// Delivery webhooks of the notification providers (services/notifications/provider-events.ts).
import type { Operation } from "../../lib/operation.ts";
import { receiveNotificationProviderEvent } from "./receive-notification-provider-event.ts";

export const notificationProviderEventsOperations: Operation[] = [receiveNotificationProviderEvent];
