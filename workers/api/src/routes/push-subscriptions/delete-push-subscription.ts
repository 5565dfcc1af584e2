import { operation } from "../../lib/operation.ts";
import { deletePushSubscription as deleteOwn } from "../../services/notifications/push-subscriptions.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const deletePushSubscription = operation("deletePushSubscription", async (c, { params, caller }) => {
  await deleteOwn(
    await tenantDatabase(c.env, params.companyId),
    `user:${caller.userId}`,
    params.subscriptionId,
  );
  return { success: true };
});
