// Notification templates: versions per workflow, channel and locale, and the preview.
import type { Operation } from "../../lib/operation.ts";
import { listNotificationTemplates } from "./list-notification-templates.ts";
import { previewNotificationTemplate } from "./preview-notification-template.ts";
import { saveNotificationTemplate } from "./save-notification-template.ts";

export const notificationTemplatesOperations: Operation[] = [
  listNotificationTemplates,
  saveNotificationTemplate,
  previewNotificationTemplate,
];
