import { operation } from "../../lib/operation.ts";
import { companyEndpoints, toEndpointView } from "../../services/webhook-endpoints.ts";

export const listWebhookEndpoints = operation("listWebhookEndpoints", async (c, { params }) => {
  const rows = await companyEndpoints(c, params.companyId);
  return { success: true, endpoints: rows.map((row) => toEndpointView(row)) };
});
