import { operation } from "../../lib/operation.ts";
import { preferencesView } from "../../services/notifications/preferences.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const getNotificationPreferences = operation(
  "getNotificationPreferences",
  async (c, { params, caller }) =>
    preferencesView(await tenantDatabase(c.env, params.companyId), `user:${caller.userId}`),
);
