import { operation } from "../../lib/operation.ts";
import { createEndpoint, toEndpointView } from "../../services/webhook-endpoints.ts";

export const createWebhookEndpoint = operation("createWebhookEndpoint", async (c, { params, body }) => {
  const { endpoint, secret } = await createEndpoint(c, params.companyId, body);
  return { success: true, endpoint: toEndpointView(endpoint), secret };
});
