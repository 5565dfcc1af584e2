// The company's notification history, newest first, with filters and a cursor.
import { operation } from "../../lib/operation.ts";
import { listMessages, toMessageView } from "../../services/notifications/history.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listNotificationMessages = operation(
  "listNotificationMessages",
  async (c, { params, query }) => {
    const page = await listMessages(await tenantDatabase(c.env, params.companyId), query);
    return { success: true, messages: page.items.map(toMessageView), next_cursor: page.nextCursor };
  },
);
