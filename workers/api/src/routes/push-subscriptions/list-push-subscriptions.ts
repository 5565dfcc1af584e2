import { operation } from "../../lib/operation.ts";
import {
  ownPushSubscriptions,
  toPushSubscriptionView,
} from "../../services/notifications/push-subscriptions.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listPushSubscriptions = operation("listPushSubscriptions", async (c, { params, caller }) => ({
  success: true,
  subscriptions: (
    await ownPushSubscriptions(await tenantDatabase(c.env, params.companyId), `user:${caller.userId}`)
  ).map(toPushSubscriptionView),
}));
