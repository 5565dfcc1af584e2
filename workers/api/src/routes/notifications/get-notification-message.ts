// One notification with its provider attempts (another company's id is not found: its own database).
import { operation } from "../../lib/operation.ts";
import {
  getMessageWithAttempts,
  toAttemptView,
  toMessageView,
} from "../../services/notifications/history.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const getNotificationMessage = operation("getNotificationMessage", async (c, { params }) => {
  const db = await tenantDatabase(c.env, params.companyId);
  const { message, attempts } = await getMessageWithAttempts(db, params.messageId);
  return { success: true, message: toMessageView(message), attempts: attempts.map(toAttemptView) };
});
