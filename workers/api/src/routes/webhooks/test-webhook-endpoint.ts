import { operation } from "../../lib/operation.ts";
import { sendTestEvent, toDeliveryView } from "../../services/webhook-endpoints.ts";

export const testWebhookEndpoint = operation("testWebhookEndpoint", async (c, { params }) => {
  const row = await sendTestEvent(c, params.companyId, params.endpointId);
  return { success: true, delivery: toDeliveryView(row) };
});
