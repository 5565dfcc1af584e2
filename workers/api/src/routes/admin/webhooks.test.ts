// Webhook endpoints and the events the API writes to the outbox. Deliveries themselves are tested
// in workers/consumers (the worker that makes them).
import { env } from "cloudflare:workers";
import type { WebhookEndpoint } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { publishRelease } from "../../../test/releases.ts";

const endpointsPath = (companyId: string) => `/api/admin/companies/${companyId}/webhooks/endpoints`;

async function createEndpoint(companyId: string, body: Record<string, unknown> = {}) {
  const response = await callAsOperator(endpointsPath(companyId), {
    body: { url: "https://hooks.example.com/nexus", event_types: ["installation.activated"], ...body },
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return json<{ endpoint: WebhookEndpoint; secret: string }>(response);
}

const outbox = (companyId: string | null) =>
  env.CENTRAL_DB.prepare("SELECT type, data, channels FROM webhook_events WHERE company_id IS ? ORDER BY id")
    .bind(companyId)
    .all<{ type: string; data: string; channels: string | null }>()
    .then((result) =>
      result.results.map((row) => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> })),
    );

describe("webhook endpoints", () => {
  it("shows the signing secret once and stores it only encrypted", async () => {
    const company = await registerCompany();
    const created = await createEndpoint(company.company_id);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(created.endpoint).toMatchObject({ enabled: true, secret_prefix: created.secret.slice(0, 12) });
    const listed = await json<{ endpoints: WebhookEndpoint[] }>(
      await callAsOperator(endpointsPath(company.company_id)),
    );
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const row = await env.CENTRAL_DB.prepare("SELECT * FROM webhook_endpoints").first();
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(6));

    const rotated = await json<{ endpoint: WebhookEndpoint; secret: string }>(
      await callAsOperator(`${endpointsPath(company.company_id)}/${created.endpoint.id}/rotate-secret`, {
        body: { overlap_hours: 24 },
      }),
    );
    expect(rotated.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.endpoint.previous_secret_expires_at ?? "")).toBeGreaterThan(
      Date.now() + 23 * 3_600_000,
    );
  });

  it("refuses URLs that could reach internal services", async () => {
    const company = await registerCompany();
    for (const url of [
      "http://hooks.example.com/plain-http",
      "https://localhost/x",
      "https://127.0.0.1/x",
      "https://0x7f.1/x",
      "https://2130706433/x",
      "https://10.1.2.3/x",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/x",
      "https://[::ffff:127.0.0.1]/x",
      "https://metadata.internal/x",
      "https://user:pass@hooks.example.com/x",
      "not a url",
    ]) {
      const response = await callAsOperator(endpointsPath(company.company_id), {
        body: { url, event_types: ["installation.activated"] },
      });
      await expectError(response, 422, "WEBHOOK_URL_NOT_ALLOWED");
    }
    await expectError(
      await callAsOperator(endpointsPath(company.company_id), {
        body: { url: "https://hooks.example.com/x", event_types: ["no.such.event"] },
      }),
      400,
      "VALIDATION_FAILED",
    );
    expect(await env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM webhook_endpoints").first()).toEqual({
      n: 0,
    });
  });

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

describe("events written with the change they report", () => {
  it("installation activated and deactivated, settings changed", async () => {
    const company = await registerCompany();
    const { installation } = await validatedMachine(company.company_code, "evt-machine");
    // Validating again keeps the seat: no second activation event.
    await validatedMachine(company.company_code, "evt-machine");
    await callAsOperator(`/api/admin/companies/${company.company_id}/settings`, {
      method: "PUT",
      body: { settings: { theme: "dark" } },
    });
    await callAsOperator(
      `/api/admin/companies/${company.company_id}/installations/${installation.id}/deactivate`,
      {
        method: "POST",
      },
    );
    const events = await outbox(company.company_id);
    expect(events.map((event) => event.type)).toEqual([
      "installation.activated",
      "company.settings_changed",
      "installation.deactivated",
    ]);
    expect(events[0]?.data).toMatchObject({ installation_id: installation.id, machine_id: "evt-machine" });
    expect(events[1]?.data).toEqual({ settings_version: 2, changed_keys: ["theme"] });
    expect(events[2]?.data).toMatchObject({ installation_id: installation.id, reason: "admin" });
  });

  it("release published and rollout halted go to the channel's receivers", async () => {
    const release = await publishRelease("3.1.0", { channel: "beta", rollout: { percent: 20 } });
    const halt = await callAsOperator(`/api/admin/releases/${release.id}/rollout`, {
      body: { action: "halt" },
    });
    expect(halt.status).toBe(200);
    // Halting again changes nothing and reports nothing.
    await callAsOperator(`/api/admin/releases/${release.id}/rollout`, { body: { action: "halt" } });
    const events = await outbox(null);
    expect(events.map((event) => [event.type, JSON.parse(event.channels ?? "[]")])).toEqual([
      ["release.published", ["beta", "alpha"]],
      ["rollout.halted", ["beta", "alpha"]],
    ]);
    expect(events[0]?.data).toMatchObject({ version: "3.1.0", channel: "beta", rollout_percent: 20 });
  });
});

describe("billing through Stripe", () => {
  it("maps a company to one Stripe customer", async () => {
    const acme = await registerCompany();
    const rival = await registerCompany();
    const link = (companyId: string) =>
      callAsOperator(`/api/admin/companies/${companyId}`, {
        method: "PATCH",
        body: { stripe_customer_id: "cus_Acme123" },
      });
    const linked = await json<{ company: { stripe_customer_id: string } }>(await link(acme.company_id));
    expect(linked.company.stripe_customer_id).toBe("cus_Acme123");
    await expectError(await link(rival.company_id), 409, "STRIPE_CUSTOMER_TAKEN");
  });
});
