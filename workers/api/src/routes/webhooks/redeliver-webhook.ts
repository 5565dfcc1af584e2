import { operation } from "../../lib/operation.ts";
import { redeliver, toDeliveryView } from "../../services/webhook-endpoints.ts";

export const redeliverWebhook = operation("redeliverWebhook", async (c, { params }) => {
  const row = await redeliver(c, params.companyId, params.deliveryId);
  return { success: true, delivery: toDeliveryView(row) };
});
