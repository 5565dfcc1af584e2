// Webhooks both ways on the bundled workers. Inbound: a Stripe subscription update, signed by the
// `stripe` library, posted to the API -> `nexus-events` -> workers/consumers -> the company's tier and
// limits, read back through the API. Outbound: a real HTTP endpoint on this machine receives the
// company's events, verified with the `standardwebhooks` library.
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type LocalSystem, startLocalSystem } from "./local-system.ts";

const STRIPE_SECRET = "whsec_e2e_stripe_secret_0123456789";
let system: LocalSystem;
let receiver: Server;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  system = await startLocalSystem({
    vars: {
      WEBHOOK_URL_POLICY: "local",
      STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
      STRIPE_PRICE_TIERS: '{"price_pro":"professional"}',
    },
  });
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  receiver.listen(0, "127.0.0.1");
  await once(receiver, "listening");
}, 180_000);

afterAll(async () => {
  receiver?.close();
  await system?.stop();
});

const api = (path: string, body?: unknown, method?: string) => system.asOperator(path, body, method);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it("a signed Stripe subscription update changes the company's tier and limits, once", {
  timeout: 120_000,
}, async () => {
  const company = await system.registerCompany();
  await api(`/api/admin/companies/${company.company_id}`, { stripe_customer_id: "cus_E2E" }, "PATCH");
  const periodEnd = Math.floor(Date.now() / 1000) + 30 * 86_400;
  const payload = JSON.stringify({
    id: "evt_e2e_1",
    object: "event",
    type: "customer.subscription.updated",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        object: "subscription",
        customer: "cus_E2E",
        status: "active",
        items: { data: [{ price: { id: "price_pro" }, current_period_end: periodEnd }] },
      },
    },
  });
  const signature = new Stripe("sk_test_unused").webhooks.generateTestHeaderString({
    payload,
    secret: STRIPE_SECRET,
  });
  const post = () =>
    fetch(new URL("/api/webhooks/stripe", system.url), {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": signature },
      body: payload,
    });
  expect((await post()).status).toBe(200);
  const view = await until(
    () => api(`/api/admin/companies/${company.company_id}`),
    (body) => (body.company as { subscription_tier: string }).subscription_tier === "professional",
    "the tier change",
  );
  expect(view.company).toMatchObject({
    subscription_status: "active",
    subscription_tier: "professional",
    max_installations: 50,
    max_users: 100,
    expires_at: new Date(periodEnd * 1000 + 3 * 86_400_000).toISOString(),
  });
  // The same event again is acknowledged and changes nothing more.
  expect(await (await post()).json()).toMatchObject({ duplicate: true });
  const audit = await api(
    `/api/admin/companies/${company.company_id}/audit-log?action=company.billing_changed`,
  );
  expect(audit.entries).toHaveLength(1);
});

it("delivers the company's events to its endpoint, signed so the standardwebhooks library verifies them", {
  timeout: 120_000,
}, async () => {
  const company = await system.registerCompany();
  const { port } = receiver.address() as AddressInfo;
  const created = (await api(`/api/admin/companies/${company.company_id}/webhooks/endpoints`, {
    url: `http://127.0.0.1:${port}/hooks`,
    event_types: ["installation.activated", "company.settings_changed"],
  })) as { secret: string; endpoint: { id: string } };
  await system.validateMachine({
    company_code: company.company_code,
    machine_id: "e2e-hook-pc",
    hostname: "HOOK-PC",
  });
  await api(`/api/admin/companies/${company.company_id}/settings`, { settings: { color: "teal" } }, "PUT");

  const mine = () => received.filter((r) => r.body.includes(company.company_id));
  await until(
    async () => mine().length,
    (n) => n >= 2,
    "two deliveries",
  );
  const payloads = mine().map((r) => {
    const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)]));
    return new Webhook(created.secret).verify(r.body, headers) as {
      type: string;
      data: Record<string, unknown>;
    };
  });
  expect(payloads.map((p) => p.type).sort()).toEqual(["company.settings_changed", "installation.activated"]);
  expect(payloads.find((p) => p.type === "installation.activated")?.data).toMatchObject({
    machine_id: "e2e-hook-pc",
    hostname: "HOOK-PC",
  });

  const log = await until(
    () => api(`/api/admin/companies/${company.company_id}/webhooks/deliveries?status=succeeded`),
    (body) => (body.deliveries as unknown[]).length === 2,
    "the delivery log",
  );
  expect(
    (log.deliveries as { last_status_code: number; attempts: number }[]).every(
      (d) => d.last_status_code === 204 && d.attempts === 1,
    ),
  ).toBe(true);
});
