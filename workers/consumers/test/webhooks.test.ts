// Outbound webhooks through the real local `nexus-events` queue: fan-out, signed deliveries checked
// with the `standardwebhooks` library, retries with growing delays, the dead letter, redelivery,
// automatic disabling, secret rotation; and Stripe billing from recorded inbound events.
import { env } from "cloudflare:workers";
import type { EventsQueueMessage } from "@nexus/contracts";
import { newId } from "@nexus/db";
import { encryptForCompany, newWebhookSecret } from "@nexus/security";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../src/events/webhook-delivery.ts";
import worker from "../src/index.ts";
import type { ReceivedRequest } from "./receiver.ts";
import { deliver, samplesMessage, company as tenantCompany, until } from "./tenants.ts";

const DAY_MS = 86_400_000;

let companies = 0;
/** A central company row (webhooks need no tenant database). */
async function company(): Promise<{ id: string }> {
  companies += 1;
  const id = `webhook-company-${companies}`;
  await env.CENTRAL_DB.prepare(
    "INSERT INTO companies (id, company_code, company_name, admin_email, updated_at) VALUES (?, ?, ?, ?, ?)",
  )
    .bind(id, `W${companies}H`, `Webhook Company ${companies}`, "admin@example.com", Date.now())
    .run();
  return { id };
}

async function endpoint(
  companyId: string,
  url: string,
  eventTypes: string[] = ["company.settings_changed"],
  extra: { previousSecret?: string; failingSince?: number } = {},
) {
  const id = newId();
  const secret = newWebhookSecret();
  const seal = (value: string) => encryptForCompany(env.ENCRYPTION_KEYS, companyId, value);
  await env.CENTRAL_DB.prepare(
    `INSERT INTO webhook_endpoints (id, company_id, url, event_types, secret_prefix, encrypted_secret,
       previous_encrypted_secret, previous_secret_expires_at, failing_since, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
    .bind(
      id,
      companyId,
      url,
      JSON.stringify(eventTypes),
      secret.slice(0, 12),
      await seal(secret),
      extra.previousSecret ? await seal(extra.previousSecret) : null,
      extra.previousSecret ? Date.now() + DAY_MS : null,
      extra.failingSince ?? null,
      Date.now(),
    )
    .run();
  return { id, secret };
}

async function emit(companyId: string | null, type: string, data: object, channels?: string[]) {
  const id = newId();
  await env.CENTRAL_DB.prepare(
    "INSERT INTO webhook_events (id, company_id, type, data, channels) VALUES (?, ?, ?, ?, ?)",
  )
    .bind(id, companyId, type, JSON.stringify(data), channels ? JSON.stringify(channels) : null)
    .run();
  await env.EVENTS_QUEUE.send({ kind: "event", event_id: id } satisfies EventsQueueMessage);
  return id;
}

const inbox = async (name: string) =>
  (await (await fetch(`https://receiver.test/inbox/${name}`)).json()) as ReceivedRequest[];

const deliveries = (eventId: string) =>
  env.CENTRAL_DB.prepare(
    "SELECT id, endpoint_id, status, attempts, last_status_code FROM webhook_deliveries WHERE event_id = ? ORDER BY endpoint_id",
  )
    .bind(eventId)
    .all<{
      id: string;
      endpoint_id: string;
      status: string;
      attempts: number;
      last_status_code: number | null;
    }>()
    .then((result) => result.results);

const settingsChanged = { settings_version: 2, changed_keys: ["theme"] };

describe("outbound deliveries", () => {
  it("signs each delivery so the standardwebhooks library verifies it, only to subscribed endpoints of the company", async () => {
    const acme = await company();
    const other = await company();
    const box = `fanout-${newId()}`;
    const subscribed = await endpoint(acme.id, `https://hooks.example.com/ok/${box}`);
    await endpoint(acme.id, `https://hooks.example.com/ok/${box}`, ["installation.dead"]);
    await endpoint(other.id, `https://hooks.example.com/ok/${box}`);

    const eventId = await emit(acme.id, "company.settings_changed", settingsChanged);
    const received = await until(
      () => inbox(box),
      (r) => r.length >= 1,
      "the delivery",
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // a wrong second delivery would land by now
    expect(await inbox(box)).toHaveLength(1);

    const [request] = received as [ReceivedRequest];
    const payload = new Webhook(subscribed.secret).verify(request.body, request.headers) as Record<
      string,
      unknown
    >;
    expect(payload).toMatchObject({
      id: eventId,
      type: "company.settings_changed",
      company_id: acme.id,
      data: settingsChanged,
    });
    expect(request.headers["webhook-id"]).toBe(eventId);
    // Another secret does not verify it: the signature is real.
    expect(() => new Webhook(newWebhookSecret()).verify(request.body, request.headers)).toThrow();

    const rows = await until(
      () => deliveries(eventId),
      (d) => d[0]?.status === "succeeded",
      "the log",
    );
    expect(rows).toEqual([
      expect.objectContaining({ endpoint_id: subscribed.id, attempts: 1, last_status_code: 200 }),
    ]);
    // Fanning the same event out again (a redelivered queue message) adds nothing.
    await deliver([{ kind: "event", event_id: eventId }], "nexus-events");
    expect(await deliveries(eventId)).toHaveLength(1);
  });

  it("signs with the previous secret too while a rotation overlaps", async () => {
    const acme = await company();
    const box = `rotation-${newId()}`;
    const previous = newWebhookSecret();
    const current = await endpoint(acme.id, `https://hooks.example.com/ok/${box}`, undefined, {
      previousSecret: previous,
    });
    await emit(acme.id, "company.settings_changed", settingsChanged);
    const [request] = (await until(
      () => inbox(box),
      (r) => r.length >= 1,
      "the delivery",
    )) as [ReceivedRequest];
    expect(request.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    for (const secret of [current.secret, previous]) {
      expect(new Webhook(secret).verify(request.body, request.headers)).toMatchObject({
        type: "company.settings_changed",
      });
    }
  });

  it("sends platform events to the companies receiving the release's channel", async () => {
    const stable = await company();
    const granted = await company();
    const elsewhere = await company();
    await env.CENTRAL_DB.batch([
      env.CENTRAL_DB.prepare("UPDATE companies SET update_channel = 'beta' WHERE id = ?").bind(elsewhere.id),
      env.CENTRAL_DB.prepare(
        "INSERT INTO company_update_access (company_id, channel) VALUES (?, 'stable')",
      ).bind(granted.id),
      env.CENTRAL_DB.prepare("UPDATE companies SET update_channel = 'beta' WHERE id = ?").bind(granted.id),
    ]);
    const box = `platform-${newId()}`;
    const types = ["release.published"];
    const a = await endpoint(stable.id, `https://hooks.example.com/ok/${box}`, types);
    const b = await endpoint(granted.id, `https://hooks.example.com/ok/${box}`, types);
    await endpoint(elsewhere.id, `https://hooks.example.com/ok/${box}`, types);
    const data = { release_id: "r1", channel: "stable", version: "2.0.0", rollout_percent: 100 };
    const eventId = await emit(null, "release.published", data, ["stable"]);
    const received = await until(
      () => inbox(box),
      (r) => r.length >= 2,
      "two deliveries",
    );
    const companies = received.map((r) => (JSON.parse(r.body) as { company_id: string }).company_id).sort();
    expect(companies).toEqual([stable.id, granted.id].sort());
    expect((await deliveries(eventId)).map((d) => d.endpoint_id).sort()).toEqual([a.id, b.id].sort());
  });

  it("retries a failing endpoint with growing delays, then marks it failed and keeps the dead letter; redelivery works", async () => {
    const acme = await company();
    const box = `failing-${newId()}`;
    const hook = await endpoint(acme.id, `https://hooks.example.com/fail/${box}`);
    const eventId = await emit(acme.id, "company.settings_changed", settingsChanged);
    // The test queue allows 2 retries (vitest.config.ts): 3 attempts, then the dead-letter queue.
    const [failed] = await until(
      () => deliveries(eventId),
      (d) => d[0]?.status === "failed",
      "the dead letter",
    );
    expect(failed).toMatchObject({ attempts: 3, last_status_code: 500 });
    expect(await inbox(box)).toHaveLength(3);
    const attempts = await env.CENTRAL_DB.prepare(
      "SELECT attempt, status_code, error, response_body FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt",
    )
      .bind(failed?.id)
      .all();
    expect(attempts.results).toEqual(
      [1, 2, 3].map((attempt) => ({
        attempt,
        status_code: 500,
        error: "HTTP 500",
        response_body: "broken on purpose",
      })),
    );
    const dead = await env.CENTRAL_DB.prepare("SELECT queue, company_id FROM dead_letters").all();
    expect(dead.results).toEqual([{ queue: "nexus-events-dlq", company_id: acme.id }]);

    // The endpoint is fixed; a manual redelivery sends the same event again and succeeds.
    await env.CENTRAL_DB.prepare("UPDATE webhook_endpoints SET url = ? WHERE id = ?")
      .bind(`https://hooks.example.com/ok/${box}`, hook.id)
      .run();
    await env.EVENTS_QUEUE.send({
      kind: "delivery",
      delivery_id: failed?.id ?? "",
      company_id: acme.id,
      manual: true,
    });
    const [redelivered] = await until(
      () => deliveries(eventId),
      (d) => d[0]?.status === "succeeded",
      "the redelivery",
    );
    expect(redelivered).toMatchObject({ attempts: 4, last_status_code: 200 });
    const received = await inbox(box);
    expect(new Set(received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([eventId]));
  });

  it("asks the queue for growing, jittered delays", async () => {
    const acme = await company();
    const hook = await endpoint(acme.id, `https://hooks.example.com/fail/delays-${newId()}`);
    const eventId = newId();
    await env.CENTRAL_DB.prepare(
      "INSERT INTO webhook_deliveries (id, company_id, endpoint_id, event_id, event_type, payload) VALUES (?, ?, ?, ?, 'company.settings_changed', '{}')",
    )
      .bind(eventId, acme.id, hook.id, eventId)
      .run();
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const { result } = await deliver(
        [{ kind: "delivery", delivery_id: eventId, company_id: acme.id }],
        "nexus-events",
        attempt,
        undefined,
        { WEBHOOK_RETRY_BASE_SECONDS: "10" },
      );
      expect(result.retryMessages).toHaveLength(1);
      // The delay the queue was asked for is logged as the next attempt's time.
      const row = await env.CENTRAL_DB.prepare(
        "SELECT d.next_attempt_at - a.attempted_at AS delay_ms FROM webhook_deliveries d JOIN webhook_attempts a ON a.delivery_id = d.id AND a.attempt = d.attempts WHERE d.id = ?",
      )
        .bind(eventId)
        .first<{ delay_ms: number }>();
      delays.push((row?.delay_ms ?? -1) / 1000);
    }
    // 10 s ×5 per attempt, ±20%.
    delays.forEach((delay, i) => {
      const nominal = 10 * 5 ** i;
      expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.8));
      expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * 1.2));
    });
    const schedule = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelaySeconds(n, 10, () => 0.5));
    expect(schedule).toEqual([10, 50, 250, 1250, 6250, 31250, 43200]);
    // Jitter spreads endpoints' retries apart.
    expect(retryDelaySeconds(3, 10, () => 0)).toBeLessThan(retryDelaySeconds(3, 10, () => 0.999));
    const logged = await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM webhook_attempts WHERE delivery_id = ?",
    )
      .bind(eventId)
      .first<{ n: number }>();
    expect(logged?.n).toBe(4);
  });

  it("disables an endpoint that has failed for days, with an audit entry", async () => {
    const acme = await company();
    const hook = await endpoint(acme.id, `https://hooks.example.com/fail/disable-${newId()}`, undefined, {
      failingSince: Date.now() - 6 * DAY_MS,
    });
    const eventId = await emit(acme.id, "company.settings_changed", settingsChanged);
    const row = await until(
      () =>
        env.CENTRAL_DB.prepare("SELECT enabled, disabled_reason FROM webhook_endpoints WHERE id = ?")
          .bind(hook.id)
          .first<{ enabled: number; disabled_reason: string | null }>(),
      (r) => r?.enabled === 0,
      "the endpoint to be disabled",
    );
    expect(row?.disabled_reason).toMatch(/every delivery failed for 5 days/);
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT action, target_id FROM audit_logs WHERE company_id = ?",
    )
      .bind(acme.id)
      .all();
    expect(audit.results).toEqual([{ action: "webhook_endpoint.disabled", target_id: hook.id }]);
    // Later events are not sent to a disabled endpoint.
    const later = await emit(acme.id, "company.settings_changed", settingsChanged);
    await until(
      () =>
        env.CENTRAL_DB.prepare("SELECT dispatched_at FROM webhook_events WHERE id = ?").bind(later).first(),
      (r) => r?.dispatched_at !== null,
      "the fan-out",
    );
    expect(await deliveries(later)).toEqual([]);
    expect((await deliveries(eventId)).length).toBe(1);
  });

  it("refuses to follow a redirect and never delivers to a private address", async () => {
    const acme = await company();
    const box = `redirect-${newId()}`;
    const redirecting = await endpoint(acme.id, `https://hooks.example.com/redirect/${box}`);
    const internal = await endpoint(acme.id, "https://169.254.169.254/latest/meta-data");
    const eventId = await emit(acme.id, "company.settings_changed", settingsChanged);
    const rows = await until(
      () => deliveries(eventId),
      (d) => d.length === 2 && d.every((x) => x.attempts >= 1),
      "attempts",
    );
    const byEndpoint = new Map(rows.map((row) => [row.endpoint_id, row]));
    expect(byEndpoint.get(redirecting.id)?.last_status_code).toBe(302);
    expect(byEndpoint.get(internal.id)).toMatchObject({ status: "failed", last_status_code: null });
    expect((await inbox(box)).length).toBeGreaterThanOrEqual(1);
    expect(await inbox(`${box}-target`)).toEqual([]); // the redirect was not followed
  });
});

describe("the sweeper", () => {
  it("announces an event whose queue message was lost, and it is delivered", async () => {
    const acme = await company();
    const box = `sweep-${newId()}`;
    await endpoint(acme.id, `https://hooks.example.com/ok/${box}`);
    const id = newId();
    // Written with the change, but the API's announcement never reached the queue.
    await env.CENTRAL_DB.prepare(
      "INSERT INTO webhook_events (id, company_id, type, data, created_at) VALUES (?, ?, 'company.settings_changed', ?, ?)",
    )
      .bind(id, acme.id, JSON.stringify(settingsChanged), Date.now() - 120_000)
      .run();
    const controller = {
      cron: "*/5 * * * *",
      scheduledTime: Date.now(),
      noRetry() {},
    } as ScheduledController;
    await worker.scheduled(controller, env as never);
    const [request] = (await until(
      () => inbox(box),
      (r) => r.length >= 1,
      "the swept event",
    )) as [ReceivedRequest];
    expect(request.headers["webhook-id"]).toBe(id);
  });
});

describe("Stripe billing", () => {
  async function inbound(event: object) {
    const eventId = (event as { id: string }).id;
    await env.CENTRAL_DB.prepare(
      "INSERT INTO inbound_webhook_events (id, provider, event_id, event_type, payload, received_at) VALUES (?, 'stripe', ?, ?, ?, ?)",
    )
      .bind(newId(), eventId, (event as { type: string }).type, JSON.stringify(event), Date.now())
      .run();
    const { result } = await deliver(
      [{ kind: "inbound", provider: "stripe", event_id: eventId }],
      "nexus-events",
    );
    expect(result.explicitAcks).toHaveLength(1);
  }
  const companyRow = (id: string) =>
    env.CENTRAL_DB.prepare(
      "SELECT subscription_status, subscription_tier, max_installations, max_users, expires_at, stripe_customer_id FROM companies WHERE id = ?",
    )
      .bind(id)
      .first();
  const subscriptionEvent = (
    id: string,
    created: number,
    object: object,
    type = "customer.subscription.updated",
  ) => ({
    id,
    object: "event",
    type,
    created,
    data: { object: { object: "subscription", ...object } },
  });
  const periodEnd = Math.floor(Date.now() / 1000) + 30 * 86_400;
  const professional = {
    customer: "cus_acme",
    status: "active",
    items: {
      data: [{ price: { id: "price_x", lookup_key: "professional" }, current_period_end: periodEnd }],
    },
  };

  it("applies a subscription update once: status, tier, limits and expiry; older events change nothing", async () => {
    const acme = await company();
    await env.CENTRAL_DB.prepare("UPDATE companies SET stripe_customer_id = 'cus_acme' WHERE id = ?")
      .bind(acme.id)
      .run();
    const now = Math.floor(Date.now() / 1000);
    await inbound(subscriptionEvent("evt_1", now, professional));
    expect(await companyRow(acme.id)).toEqual({
      subscription_status: "active",
      subscription_tier: "professional",
      max_installations: 50,
      max_users: 100,
      expires_at: periodEnd * 1000 + 3 * DAY_MS,
      stripe_customer_id: "cus_acme",
    });
    // The same event again (queue redelivery) and an older event arriving late: no second effect.
    await deliver([{ kind: "inbound", provider: "stripe", event_id: "evt_1" }], "nexus-events");
    await inbound(subscriptionEvent("evt_0", now - 60, { ...professional, status: "past_due" }));
    expect(await companyRow(acme.id)).toMatchObject({
      subscription_status: "active",
      subscription_tier: "professional",
    });
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM audit_logs WHERE company_id = ? AND action = 'company.billing_changed'",
    )
      .bind(acme.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);

    await inbound({
      id: "evt_2",
      type: "invoice.payment_failed",
      created: now + 1,
      data: { object: { customer: "cus_acme" } },
    });
    expect(await companyRow(acme.id)).toMatchObject({
      subscription_status: "past_due",
      subscription_tier: "professional",
    });
    await inbound(
      subscriptionEvent(
        "evt_3",
        now + 2,
        { ...professional, status: "canceled", ended_at: now + 2 },
        "customer.subscription.deleted",
      ),
    );
    expect(await companyRow(acme.id)).toMatchObject({
      subscription_status: "canceled",
      expires_at: (now + 2) * 1000,
    });
  });

  it("links a company through the subscription's nexus_company_id and never touches another company", async () => {
    const acme = await company();
    const other = await company();
    const before = await companyRow(other.id);
    const now = Math.floor(Date.now() / 1000);
    await inbound(
      subscriptionEvent("evt_link", now, {
        ...professional,
        customer: "cus_new",
        metadata: { nexus_company_id: acme.id },
      }),
    );
    expect(await companyRow(acme.id)).toMatchObject({
      stripe_customer_id: "cus_new",
      subscription_tier: "professional",
    });
    expect(await companyRow(other.id)).toEqual(before);
    await inbound(subscriptionEvent("evt_unknown", now, { ...professional, customer: "cus_nobody" }));
    const outcome = await env.CENTRAL_DB.prepare(
      "SELECT outcome FROM inbound_webhook_events WHERE event_id = 'evt_unknown'",
    ).first();
    expect(outcome).toEqual({ outcome: "no company for customer cus_nobody" });
  });
});

describe("telemetry alerts", () => {
  const alerts = (companyId: string) =>
    env.CENTRAL_DB.prepare(
      "SELECT id, data FROM webhook_events WHERE company_id = ? AND type = 'telemetry.alert' ORDER BY created_at",
    )
      .bind(companyId)
      .all<{ id: string; data: string }>()
      .then((result) => result.results.map((row) => JSON.parse(row.data) as Record<string, unknown>));

  it("writes one telemetry.alert when a machine's alert level changes, none on redelivery", async () => {
    const plant = await tenantCompany("TENANT_DB_0001", 1);
    const machine = plant.machines[0] as string;
    const ts = Date.now() - 60_000;
    const hot = samplesMessage(plant.id, "k:hot", [
      { machine_id: machine, metric: "temperature", value: 97, ts },
    ]);
    await deliver([hot]);
    await deliver([hot]); // redelivered: same state, no second alert
    expect(await alerts(plant.id)).toEqual([
      {
        machine_id: machine,
        machine_name: "Machine 1",
        health_score: 50,
        severity: "critical",
        previous_severity: null,
      },
    ]);
    const cooler = samplesMessage(plant.id, "k:cool", [
      { machine_id: machine, metric: "temperature", value: 85, ts: ts + 1 },
    ]);
    await deliver([cooler]);
    expect((await alerts(plant.id)).map((alert) => [alert.previous_severity, alert.severity])).toEqual([
      [null, "critical"],
      ["critical", "warning"],
    ]);
  });
});
