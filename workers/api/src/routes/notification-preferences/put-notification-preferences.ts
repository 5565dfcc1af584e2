import { operation } from "../../lib/operation.ts";
import { preferencesView, savePreferences } from "../../services/notifications/preferences.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const putNotificationPreferences = operation(
  "putNotificationPreferences",
  async (c, { params, body, caller }) => {
    const db = await tenantDatabase(c.env, params.companyId);
    const recipientKey = `user:${caller.userId}`;
    await savePreferences(db, recipientKey, body);
    return preferencesView(db, recipientKey);
  },
);
