// The caller's notification preferences, and the public unsubscribe link of notification emails.
import type { Operation } from "../../lib/operation.ts";
import { getNotificationPreferences } from "./get-notification-preferences.ts";
import { putNotificationPreferences } from "./put-notification-preferences.ts";
import { showUnsubscribe } from "./show-unsubscribe.ts";
import { unsubscribe } from "./unsubscribe.ts";

export const notificationPreferencesOperations: Operation[] = [
  getNotificationPreferences,
  putNotificationPreferences,
  showUnsubscribe,
  unsubscribe,
];
