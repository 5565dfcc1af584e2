// What the webhooks tests share: an endpoint created as an operator, and a test event sent to it.
import type { WebhookDelivery, WebhookEndpoint } from "@nexus/contracts";
import { expect } from "vitest";
import { callAsOperator, json } from "../../../test/helpers.ts";

export const endpointsPath = (companyId: string) => `/api/admin/companies/${companyId}/webhooks/endpoints`;

export async function createEndpoint(companyId: string, body: Record<string, unknown> = {}) {
  const response = await callAsOperator(endpointsPath(companyId), {
    body: { url: "https://hooks.example.com/nexus", event_types: ["installation.activated"], ...body },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return json<{ endpoint: WebhookEndpoint; secret: string }>(response);
}

/** Sends a `webhook.test` event to the endpoint; answers its delivery. */
export async function sendTest(companyId: string, endpointId: string): Promise<WebhookDelivery> {
  const response = await callAsOperator(`${endpointsPath(companyId)}/${endpointId}/test`, { method: "POST" });
  expect(response.status, await response.clone().text()).toBe(202);
  return (await json<{ delivery: WebhookDelivery }>(response)).delivery;
}
