import { env } from "cloudflare:workers";
import type { WebhookEndpoint } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { createEndpoint, endpointsPath, sendTest } from "./fixtures.ts";

describe("deleting webhook endpoints", () => {
  it("removes the endpoint and its deliveries, answers it as it was, and records who did", async () => {
    const company = await registerCompany();
    const { endpoint } = await createEndpoint(company.company_id);
    await sendTest(company.company_id, endpoint.id);
    const path = `${endpointsPath(company.company_id)}/${endpoint.id}`;

    const deleted = await json<{ endpoint: WebhookEndpoint }>(
      await callAsOperator(path, { method: "DELETE" }),
    );
    expect(deleted.endpoint).toMatchObject({ id: endpoint.id, url: endpoint.url });
    const listed = await json<{ endpoints: WebhookEndpoint[] }>(
      await callAsOperator(endpointsPath(company.company_id)),
    );
    expect(listed.endpoints).toEqual([]);
    const deliveries = await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ?",
    )
      .bind(endpoint.id)
      .first();
    expect(deliveries).toEqual({ n: 0 });
    await expectError(await callAsOperator(path, { method: "DELETE" }), 404, "WEBHOOK_ENDPOINT_NOT_FOUND");
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT target_id FROM audit_logs WHERE action = 'webhook_endpoint.deleted'",
    ).all();
    expect(audit.results).toEqual([{ target_id: endpoint.id }]);
  });
});
