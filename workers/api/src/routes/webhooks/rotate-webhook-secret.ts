import { operation } from "../../lib/operation.ts";
import { rotateSecret, toEndpointView } from "../../services/webhook-endpoints.ts";

export const rotateWebhookSecret = operation("rotateWebhookSecret", async (c, { params, body }) => {
  const { endpoint, secret } = await rotateSecret(c, params.companyId, params.endpointId, body.overlap_hours);
  return { success: true, endpoint: toEndpointView(endpoint), secret };
});
