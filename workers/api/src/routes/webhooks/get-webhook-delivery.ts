import { operation } from "../../lib/operation.ts";
import { deliveryDetail } from "../../services/webhook-endpoints.ts";

export const getWebhookDelivery = operation("getWebhookDelivery", async (c, { params }) => ({
  success: true,
  ...(await deliveryDetail(c, params.companyId, params.deliveryId)),
}));
