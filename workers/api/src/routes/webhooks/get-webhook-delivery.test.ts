import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { createEndpoint, sendTest } from "./fixtures.ts";

describe("one webhook delivery", () => {
  it("comes with its payload and every attempt in order", async () => {
    const company = await registerCompany();
    const { endpoint } = await createEndpoint(company.company_id);
    const delivery = await sendTest(company.company_id, endpoint.id);
    const attempt = env.CENTRAL_DB.prepare(
      "INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, latency_ms, error, response_body) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    await env.CENTRAL_DB.batch([
      attempt.bind(delivery.id, 2, Date.now(), 200, 35, null, "ok"),
      attempt.bind(delivery.id, 1, Date.now() - 60_000, null, 10_000, "timed out", null),
    ]);

    const detail = await json<{
      delivery: { id: string; endpoint_id: string };
      payload: { id: string; type: string; data: Record<string, unknown> };
      attempts: { attempt: number; status_code: number | null; error: string | null }[];
    }>(await callAsOperator(`/api/admin/companies/${company.company_id}/webhooks/deliveries/${delivery.id}`));
    expect(detail.delivery).toMatchObject({ id: delivery.id, endpoint_id: endpoint.id });
    expect(detail.payload).toMatchObject({
      id: delivery.event_id,
      type: "webhook.test",
      data: { endpoint_id: endpoint.id },
    });
    expect(detail.attempts).toMatchObject([
      { attempt: 1, status_code: null, error: "timed out" },
      { attempt: 2, status_code: 200, error: null },
    ]);
    await expectError(
      await callAsOperator(`/api/admin/companies/${company.company_id}/webhooks/deliveries/nope`),
      404,
      "WEBHOOK_DELIVERY_NOT_FOUND",
    );
  });
});
