import { operation } from "../../lib/operation.ts";
import { deleteEndpoint, toEndpointView } from "../../services/webhook-endpoints.ts";

export const deleteWebhookEndpoint = operation("deleteWebhookEndpoint", async (c, { params }) => {
  const row = await deleteEndpoint(c, params.companyId, params.endpointId);
  return { success: true, endpoint: toEndpointView(row) };
});
