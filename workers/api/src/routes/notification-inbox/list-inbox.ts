import { operation } from "../../lib/operation.ts";
import { listInbox as ownInbox } from "../../services/notifications/inbox.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listInbox = operation("listInbox", async (c, { params, query, caller }) =>
  ownInbox(await tenantDatabase(c.env, params.companyId), `user:${caller.userId}`, query),
);
