import { operation } from "../../lib/operation.ts";
import { readAllInbox } from "../../services/notifications/inbox.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const markInboxRead = operation("markInboxRead", async (c, { params, caller }) => ({
  success: true,
  updated: await readAllInbox(await tenantDatabase(c.env, params.companyId), `user:${caller.userId}`),
  unread_count: 0,
}));
