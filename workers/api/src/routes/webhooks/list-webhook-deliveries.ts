import { operation } from "../../lib/operation.ts";
import { deliveryPage, toDeliveryView } from "../../services/webhook-endpoints.ts";

export const listWebhookDeliveries = operation("listWebhookDeliveries", async (c, { params, query }) => {
  const { limit, cursor, ...filters } = query;
  const page = await deliveryPage(c, params.companyId, { limit, cursor }, filters);
  return { success: true, deliveries: page.items.map(toDeliveryView), next_cursor: page.nextCursor };
});
