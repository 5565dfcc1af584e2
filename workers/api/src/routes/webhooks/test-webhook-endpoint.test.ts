import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { createEndpoint, endpointsPath } from "./fixtures.ts";

describe("test-sending to a webhook endpoint", () => {
  it("keeps each company's endpoints and deliveries to itself", async () => {
    const acme = await registerCompany();
    const rival = await registerCompany();
    const { endpoint } = await createEndpoint(acme.company_id);
    const base = `${endpointsPath(rival.company_id)}/${endpoint.id}`;
    await expectError(
      await callAsOperator(base, { method: "PATCH", body: { enabled: false } }),
      404,
      "WEBHOOK_ENDPOINT_NOT_FOUND",
    );
    await expectError(await callAsOperator(base, { method: "DELETE" }), 404, "WEBHOOK_ENDPOINT_NOT_FOUND");
    await expectError(
      await callAsOperator(`${base}/test`, { method: "POST" }),
      404,
      "WEBHOOK_ENDPOINT_NOT_FOUND",
    );

    const test = await callAsOperator(`${endpointsPath(acme.company_id)}/${endpoint.id}/test`, {
      method: "POST",
    });
    expect(test.status).toBe(202);
    const { delivery } = await json<{ delivery: { id: string; event_type: string; status: string } }>(test);
    expect(delivery).toMatchObject({ event_type: "webhook.test", status: "pending" });
    const rivalView = `/api/admin/companies/${rival.company_id}/webhooks/deliveries/${delivery.id}`;
    await expectError(await callAsOperator(rivalView), 404, "WEBHOOK_DELIVERY_NOT_FOUND");
    await expectError(
      await callAsOperator(`${rivalView}/redeliver`, { method: "POST" }),
      404,
      "WEBHOOK_DELIVERY_NOT_FOUND",
    );
    const rivalLog = await json<{ deliveries: unknown[] }>(
      await callAsOperator(`/api/admin/companies/${rival.company_id}/webhooks/deliveries`),
    );
    expect(rivalLog.deliveries).toEqual([]);

    const detail = await json<{ payload: { type: string; company_id: string } }>(
      await callAsOperator(`/api/admin/companies/${acme.company_id}/webhooks/deliveries/${delivery.id}`),
    );
    expect(detail.payload).toMatchObject({ type: "webhook.test", company_id: acme.company_id });
  });
});
