import type { WebhookDelivery } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { createEndpoint, sendTest } from "./fixtures.ts";

interface DeliveryList {
  deliveries: WebhookDelivery[];
  next_cursor: string | null;
}

describe("the webhook delivery log", () => {
  it("lists deliveries newest first, filtered by endpoint, status and event type, page by page", async () => {
    const company = await registerCompany();
    const one = await createEndpoint(company.company_id, { url: "https://hooks.example.com/one" });
    const two = await createEndpoint(company.company_id, { url: "https://hooks.example.com/two" });
    const first = await sendTest(company.company_id, one.endpoint.id);
    const second = await sendTest(company.company_id, two.endpoint.id);
    const third = await sendTest(company.company_id, one.endpoint.id);
    const log = (query = "") =>
      callAsOperator(`/api/admin/companies/${company.company_id}/webhooks/deliveries${query}`).then((r) =>
        json<DeliveryList>(r),
      );

    expect((await log()).deliveries.map((d) => d.id)).toEqual([third.id, second.id, first.id]);
    expect((await log(`?endpoint_id=${one.endpoint.id}`)).deliveries.map((d) => d.id)).toEqual([
      third.id,
      first.id,
    ]);
    expect((await log("?status=succeeded")).deliveries).toEqual([]);
    expect((await log("?event_type=webhook.test&status=pending")).deliveries).toHaveLength(3);

    const page = await log("?limit=2");
    expect(page.deliveries.map((d) => d.id)).toEqual([third.id, second.id]);
    expect(await log(`?limit=2&cursor=${page.next_cursor}`)).toMatchObject({
      deliveries: [{ id: first.id }],
      next_cursor: null,
    });
    await expectError(
      await callAsOperator(`/api/admin/companies/${company.company_id}/webhooks/deliveries?status=lost`),
      400,
      "VALIDATION_FAILED",
    );
  });
});
