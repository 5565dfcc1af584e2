// Inbound webhooks after the API kept them: the consumer applies each event once, a consumer that
// fails every retry hands the event back through the dead-letter queue, and the sweeper queues what
// was not processed again, with backoff, until its cap marks it failed. Through the real local queues.
import { env } from "cloudflare:workers";
import { INBOUND_MAX_ATTEMPTS, inboundRetryDelayMs } from "@nexus/contracts";
import { newId } from "@nexus/db";
import { describe, expect, it } from "vitest";
import { sweepInboundWebhooks } from "../src/events/inbound-sweeper.ts";
import worker from "../src/index.ts";
import { deliver, until } from "./tenants.ts";

const SWEEP = { cron: "*/5 * * * *", scheduledTime: Date.now(), noRetry() {} } as ScheduledController;

async function billedCompany(customer: string): Promise<string> {
  const id = `inbound-company-${newId()}`;
  await env.CENTRAL_DB.prepare(
    "INSERT INTO companies (id, company_code, company_name, admin_email, stripe_customer_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
  )
    .bind(id, `I${id.slice(-6).toUpperCase()}`, "Inbound Co", "admin@example.com", customer, Date.now())
    .run();
  return id;
}

const subscriptionUpdated = (id: string, customer: string) => ({
  id,
  object: "event",
  type: "customer.subscription.updated",
  created: Math.floor(Date.now() / 1000),
  data: {
    object: {
      object: "subscription",
      customer,
      status: "active",
      items: { data: [{ price: { id: "price_x", lookup_key: "professional" } }] },
    },
  },
});

/** An event as the API keeps it; `extra` sets the state columns. */
async function keep(eventId: string, payload: object, extra: Record<string, string | number | null> = {}) {
  const columns = {
    id: newId(),
    provider: "stripe",
    event_id: eventId,
    event_type: "customer.subscription.updated",
    payload: JSON.stringify(payload),
    received_at: Date.now(),
    state: "queued",
    attempts: 1,
    next_attempt_at: Date.now() + inboundRetryDelayMs(1),
    ...extra,
  };
  const names = Object.keys(columns);
  await env.CENTRAL_DB.prepare(
    `INSERT INTO inbound_webhook_events (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`,
  )
    .bind(...Object.values(columns))
    .run();
}

const event = (eventId: string) =>
  env.CENTRAL_DB.prepare(
    "SELECT state, attempts, next_attempt_at, last_error, outcome FROM inbound_webhook_events WHERE event_id = ?",
  )
    .bind(eventId)
    .first<{
      state: string;
      attempts: number;
      next_attempt_at: number | null;
      last_error: string | null;
      outcome: string | null;
    }>();

const billingAudits = (companyId: string) =>
  env.CENTRAL_DB.prepare(
    "SELECT count(*) AS n FROM audit_logs WHERE company_id = ? AND action = 'company.billing_changed'",
  )
    .bind(companyId)
    .first<{ n: number }>()
    .then((row) => row?.n ?? 0);

describe("inbound webhooks", () => {
  it("are applied once when the same event is queued twice and both copies run at once", async () => {
    const companyId = await billedCompany("cus_twice");
    await keep("evt_twice", subscriptionUpdated("evt_twice", "cus_twice"));
    const message = { kind: "inbound", provider: "stripe", event_id: "evt_twice" };
    const { result } = await deliver([message, message], "nexus-events");
    expect(result.explicitAcks).toHaveLength(2);
    expect(await event("evt_twice")).toMatchObject({ state: "processed", outcome: "applied" });
    expect(await billingAudits(companyId)).toBe(1);
  });

  it("are not lost when the consumer fails every retry: dead-lettered, handed back, swept and processed", async () => {
    const companyId = await billedCompany("cus_outage");
    await keep("evt_outage", subscriptionUpdated("evt_outage", "cus_outage"));
    // A real failure in the consumer's database work: the table it reads is gone until restored.
    await env.CENTRAL_DB.prepare("ALTER TABLE companies RENAME TO companies_offline").run();
    try {
      await env.EVENTS_QUEUE.send({ kind: "inbound", provider: "stripe", event_id: "evt_outage" });
      const handedBack = await until(
        () => event("evt_outage"),
        (row) => row?.state === "received",
        "the dead-letter consumer handing the event back",
      );
      expect(handedBack?.last_error).toMatch(
        /^dead-lettered: the consumer failed every retry; processing failed: .*no such table/,
      );
      expect(handedBack?.next_attempt_at).toBeLessThanOrEqual(Date.now());
      const dead = await env.CENTRAL_DB.prepare(
        "SELECT queue, body FROM dead_letters WHERE queue = 'nexus-events-dlq'",
      ).all<{ queue: string; body: string }>();
      expect(dead.results.map((row) => JSON.parse(row.body))).toEqual([
        { kind: "inbound", provider: "stripe", event_id: "evt_outage" },
      ]);
    } finally {
      await env.CENTRAL_DB.prepare("ALTER TABLE companies_offline RENAME TO companies").run();
    }
    // The 5-minute cron sweeps it onto the queue again; this time it is applied.
    await worker.scheduled(SWEEP, env as never);
    const processed = await until(
      () => event("evt_outage"),
      (row) => row?.state === "processed",
      "the swept event processed",
    );
    expect(processed).toMatchObject({ attempts: 2, outcome: "applied", next_attempt_at: null });
    expect(await billingAudits(companyId)).toBe(1);
  });
});

describe("the inbound sweeper", () => {
  /** A stand-in producer that keeps what it is given (nothing consumes it), to see what was swept. */
  function heldQueue() {
    const sent: unknown[] = [];
    const metrics = { backlogCount: 0, backlogBytes: 0 };
    const queue: Queue = {
      metrics: async () => metrics,
      async send(body) {
        sent.push(body);
        return { metadata: { metrics } };
      },
      async sendBatch(messages) {
        for (const message of messages) sent.push(message.body);
        return { metadata: { metrics } };
      },
    };
    return { queue, sent };
  }

  it("queues due events again with a growing delay, leaves others alone, and gives up at the cap", async () => {
    const now = Date.now();
    const payload = subscriptionUpdated("evt", "cus_none");
    await keep("evt_never_queued", payload, { state: "received", attempts: 0, next_attempt_at: now - 1 });
    await keep("evt_lost", payload, { state: "queued", attempts: 3, next_attempt_at: now - 1 });
    await keep("evt_in_flight", payload, { state: "queued", attempts: 1, next_attempt_at: now + 60_000 });
    await keep("evt_spent", payload, {
      state: "queued",
      attempts: INBOUND_MAX_ATTEMPTS,
      next_attempt_at: now - 1,
      last_error: "processing failed: boom",
    });
    await keep("evt_done", payload, { state: "processed", attempts: 1, next_attempt_at: null });

    const { queue, sent } = heldQueue();
    expect(await sweepInboundWebhooks(env.CENTRAL_DB, queue, now)).toEqual({ requeued: 2, failed: 1 });
    expect(sent).toHaveLength(2);
    expect(sent).toEqual(
      expect.arrayContaining([
        { kind: "inbound", provider: "stripe", event_id: "evt_never_queued" },
        { kind: "inbound", provider: "stripe", event_id: "evt_lost" },
      ]),
    );
    expect(await event("evt_never_queued")).toMatchObject({
      state: "queued",
      attempts: 1,
      next_attempt_at: now + inboundRetryDelayMs(1),
    });
    expect(await event("evt_lost")).toMatchObject({
      state: "queued",
      attempts: 4,
      next_attempt_at: now + inboundRetryDelayMs(4),
    });
    expect(await event("evt_in_flight")).toMatchObject({ state: "queued", attempts: 1 });
    expect(await event("evt_spent")).toMatchObject({
      state: "failed",
      next_attempt_at: null,
      last_error: `gave up after ${INBOUND_MAX_ATTEMPTS} attempts; processing failed: boom`,
    });
    expect(await event("evt_done")).toMatchObject({ state: "processed" });

    // Nothing is due any more until the next delay has passed.
    const again = heldQueue();
    expect(await sweepInboundWebhooks(env.CENTRAL_DB, again.queue, now + 1000)).toEqual({
      requeued: 0,
      failed: 0,
    });
    expect(inboundRetryDelayMs(1)).toBe(5 * 60_000);
    expect(inboundRetryDelayMs(4)).toBe(40 * 60_000);
    expect(inboundRetryDelayMs(INBOUND_MAX_ATTEMPTS)).toBe(6 * 3_600_000);
  });
});
