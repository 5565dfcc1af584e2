import { operation } from "../../lib/operation.ts";
import { toEndpointView, updateEndpoint } from "../../services/webhook-endpoints.ts";

export const updateWebhookEndpoint = operation("updateWebhookEndpoint", async (c, { params, body }) => {
  const row = await updateEndpoint(c, params.companyId, params.endpointId, body);
  return { success: true, endpoint: toEndpointView(row) };
});
