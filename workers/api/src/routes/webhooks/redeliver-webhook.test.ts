import { env } from "cloudflare:workers";
import type { WebhookDelivery } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { adminToken, callWithEnv, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { watchedQueue } from "../../../test/watched-queue.ts";
import { createEndpoint, sendTest } from "./fixtures.ts";

describe("redelivering a webhook", () => {
  it("queues the same delivery as a manual attempt and records it; a queue that is down asks to retry", async () => {
    const company = await registerCompany();
    const { endpoint } = await createEndpoint(company.company_id);
    const delivery = await sendTest(company.company_id, endpoint.id);
    const path = `/api/admin/companies/${company.company_id}/webhooks/deliveries/${delivery.id}/redeliver`;

    const { queue, sent } = watchedQueue();
    const response = await callWithEnv({ EVENTS_QUEUE: queue }, path, {
      method: "POST",
      token: adminToken(),
    });
    expect(response.status, await response.clone().text()).toBe(202);
    expect((await json<{ delivery: WebhookDelivery }>(response)).delivery.id).toBe(delivery.id);
    expect(sent).toEqual([
      { kind: "delivery", delivery_id: delivery.id, company_id: company.company_id, manual: true },
    ]);
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT target_id FROM audit_logs WHERE action = 'webhook_delivery.redelivered'",
    ).all();
    expect(audit.results).toEqual([{ target_id: delivery.id }]);

    const down = watchedQueue(env.EVENTS_QUEUE, true);
    await expectError(
      await callWithEnv({ EVENTS_QUEUE: down.queue }, path, { method: "POST", token: adminToken() }),
      503,
      "SERVICE_UNAVAILABLE",
    );
  });
});
