import { getConfig } from "../../env.ts";
import { operation } from "../../lib/operation.ts";
import {
  savePushSubscription,
  toPushSubscriptionView,
} from "../../services/notifications/push-subscriptions.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const createPushSubscription = operation(
  "createPushSubscription",
  async (c, { params, body, caller }) => {
    const db = await tenantDatabase(c.env, params.companyId);
    const row = await savePushSubscription(db, getConfig(c.env), `user:${caller.userId}`, body);
    return { success: true, subscription: toPushSubscriptionView(row) };
  },
);
