import { env } from "cloudflare:workers";
import type { WebhookEndpoint } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";
import { createEndpoint, endpointsPath } from "./fixtures.ts";

describe("updating webhook endpoints", () => {
  it("re-enabling a disabled endpoint clears its failure state", async () => {
    const company = await registerCompany();
    const { endpoint } = await createEndpoint(company.company_id);
    await env.CENTRAL_DB.prepare(
      "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = 'failing', failing_since = 1 WHERE id = ?",
    )
      .bind(endpoint.id)
      .run();
    const response = await callAsOperator(`${endpointsPath(company.company_id)}/${endpoint.id}`, {
      method: "PATCH",
      body: { enabled: true },
    });
    expect((await json<{ endpoint: WebhookEndpoint }>(response)).endpoint).toMatchObject({
      enabled: true,
      disabled_reason: null,
      failing_since: null,
    });
  });
});
