// Inbound webhooks signed by the senders' own libraries: valid -> 200 and one recorded event;
// tampered body, wrong secret or stale timestamp -> 401 and nothing stored; replay -> no second effect,
// whatever unsigned header the replay changes; an event kept but not processed is never lost.
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { describe, expect, it } from "vitest";
import telemetryWorker from "../../../../consumers/src/index.ts";
import { BASE_URL, call, callWithEnv, expectError, json } from "../../../test/helpers.ts";
import { watchedQueue } from "../../../test/watched-queue.ts";
import { TEST_WEBHOOK_SECRETS } from "../../../test/webhook-secrets.ts";

const [STRIPE_SECRET = "", STRIPE_NEXT_SECRET = ""] = TEST_WEBHOOK_SECRETS.STRIPE_WEBHOOK_SECRET.split(",");
const DOCUSIGN_SECRET = (JSON.parse(TEST_WEBHOOK_SECRETS.WEBHOOK_SENDERS) as { docusign: string }).docusign;
const stripe = new Stripe("sk_test_unused");
const cryptoProvider = Stripe.createSubtleCryptoProvider();

const recorded = (provider: string) =>
  env.CENTRAL_DB.prepare("SELECT event_id, event_type FROM inbound_webhook_events WHERE provider = ?")
    .bind(provider)
    .all()
    .then((result) => result.results);

const post = (
  provider: string,
  body: string,
  headers: Record<string, string>,
  path = `/api/webhooks/${provider}`,
) => call(path, { method: "POST", body, headers });

const postVia = (queue: Queue, provider: string, body: string, headers: Record<string, string>) =>
  callWithEnv({ EVENTS_QUEUE: queue }, `/api/webhooks/${provider}`, { method: "POST", body, headers });

const stateOf = (provider: string) =>
  env.CENTRAL_DB.prepare(
    "SELECT event_id, sender_event_id, state, attempts, last_error FROM inbound_webhook_events WHERE provider = ?",
  )
    .bind(provider)
    .all<{
      event_id: string;
      sender_event_id: string | null;
      state: string;
      attempts: number;
      last_error: string | null;
    }>()
    .then((result) => result.results);

/** Runs the real `nexus-events` consumer (workers/consumers) on messages, as the queue would. */
async function consume(messages: unknown[], queue = "nexus-events") {
  const batch = createMessageBatch(
    queue,
    messages.map((body, i) => ({
      id: `m${i}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body,
    })),
  );
  await telemetryWorker.queue(batch, env as never);
}

describe("stripe", () => {
  const event = (id: string) =>
    JSON.stringify({
      id,
      object: "event",
      type: "customer.subscription.updated",
      created: 1,
      data: { object: {} },
    });
  const signature = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
    stripe.webhooks.generateTestHeaderStringAsync({
      payload,
      secret: options.secret ?? STRIPE_SECRET,
      ...(options.timestamp ? { timestamp: options.timestamp } : {}),
      cryptoProvider,
    });

  it("accepts a valid event once; a replay is acknowledged without a second record", async () => {
    const payload = event("evt_valid");
    const header = await signature(payload);
    const first = await post("stripe", payload, { "stripe-signature": header });
    expect(await json(first)).toEqual({
      success: true,
      event_id: "evt_valid",
      duplicate: false,
      state: "queued",
    });
    const replay = await post("stripe", payload, { "stripe-signature": header });
    expect(await json(replay)).toEqual({
      success: true,
      event_id: "evt_valid",
      duplicate: true,
      state: "queued",
    });
    expect(await recorded("stripe")).toEqual([
      { event_id: "evt_valid", event_type: "customer.subscription.updated" },
    ]);
  });

  it("refuses a tampered body, a wrong secret and a stale timestamp, storing nothing", async () => {
    const payload = event("evt_attack");
    const tampered = payload.replace("customer.subscription.updated", "customer.subscription.deleted");
    await expectError(
      await post("stripe", tampered, { "stripe-signature": await signature(payload) }),
      401,
      "WEBHOOK_SIGNATURE_INVALID",
    );
    const wrong = await signature(payload, { secret: "whsec_someone_else" });
    await expectError(
      await post("stripe", payload, { "stripe-signature": wrong }),
      401,
      "WEBHOOK_SIGNATURE_INVALID",
    );
    const stale = await signature(payload, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    await expectError(
      await post("stripe", payload, { "stripe-signature": stale }),
      401,
      "WEBHOOK_SIGNATURE_INVALID",
    );
    await expectError(await post("stripe", payload, {}), 401, "WEBHOOK_SIGNATURE_INVALID");
    expect(await recorded("stripe")).toEqual([]);
  });

  it("accepts any of several v1 signatures and either configured secret while rotating", async () => {
    const payload = event("evt_rotation");
    const next = await signature(payload, { secret: STRIPE_NEXT_SECRET });
    const old = await signature(payload, { secret: "whsec_retired" });
    // Stripe's header during its own rotation: t=…,v1=<old>,v1=<new>.
    const v1 = (header: string) => header.split(",").find((part) => part.startsWith("v1=")) ?? "";
    const combined = `${old.split(",")[0]},${v1(old)},${v1(next)}`;
    expect((await post("stripe", payload, { "stripe-signature": combined })).status).toBe(200);
  });
});

describe("github", () => {
  const payload = JSON.stringify({ action: "published", release: { tag_name: "v2.0.0" } });
  const headers = async (secret: string, delivery: string) => ({
    "x-hub-signature-256": await githubSign(secret, payload),
    "x-github-delivery": delivery,
    "x-github-event": "release",
  });

  const bodyKey = async (body: string) => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body));
    return `sha256:${Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")}`;
  };

  it("accepts a signed delivery once and refuses tampering or another secret", async () => {
    const good = await headers(TEST_WEBHOOK_SECRETS.GITHUB_WEBHOOK_SECRET, "d-1");
    const eventId = await bodyKey(payload);
    expect(await json(await post("github", payload, good))).toMatchObject({
      event_id: eventId,
      duplicate: false,
    });
    expect(await json(await post("github", payload, good))).toMatchObject({
      event_id: eventId,
      duplicate: true,
    });
    await expectError(
      await post("github", payload.replace("v2", "v9"), good),
      401,
      "WEBHOOK_SIGNATURE_INVALID",
    );
    const wrong = await headers("not-the-github-secret-at-all", "d-2");
    await expectError(await post("github", payload, wrong), 401, "WEBHOOK_SIGNATURE_INVALID");
    expect(await recorded("github")).toEqual([{ event_id: eventId, event_type: "release" }]);
  });

  it("takes the same signed request replayed with a new X-GitHub-Delivery for a duplicate, queued once", async () => {
    const { queue, sent } = watchedQueue();
    const captured = await headers(TEST_WEBHOOK_SECRETS.GITHUB_WEBHOOK_SECRET, "d-original");
    expect(await json(await postVia(queue, "github", payload, captured))).toMatchObject({ duplicate: false });
    // X-GitHub-Delivery is not signed: an attacker resending the captured request can change it freely.
    for (const delivery of ["d-forged-1", "d-forged-2"]) {
      const replay = await postVia(queue, "github", payload, { ...captured, "x-github-delivery": delivery });
      expect(await json(replay)).toMatchObject({ event_id: await bodyKey(payload), duplicate: true });
    }
    expect(sent).toEqual([{ kind: "inbound", provider: "github", event_id: await bodyKey(payload) }]);
    expect(await stateOf("github")).toEqual([
      {
        event_id: await bodyKey(payload),
        sender_event_id: "d-original",
        state: "queued",
        attempts: 1,
        last_error: null,
      },
    ]);
  });
});

describe("twilio", () => {
  const params = { MessageSid: "SM123", MessageStatus: "delivered", To: "+15551234567" };
  const url = `${BASE_URL}/api/webhooks/twilio`;
  const form = (values: Record<string, string>) => new URLSearchParams(values).toString();
  const headers = (token: string, values: Record<string, string>, idempotency = "tw-1") => ({
    "content-type": "application/x-www-form-urlencoded",
    "x-twilio-signature": getExpectedTwilioSignature(token, url, values),
    "i-twilio-idempotency-token": idempotency,
  });

  it("validates the signature over the URL and sorted form parameters, once per signed content", async () => {
    const good = headers(TEST_WEBHOOK_SECRETS.TWILIO_AUTH_TOKEN, params);
    expect(await json(await post("twilio", form(params), good))).toMatchObject({
      event_id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      duplicate: false,
    });
    expect(await json(await post("twilio", form(params), good))).toMatchObject({ duplicate: true });
    const tampered = form({ ...params, MessageStatus: "failed" });
    await expectError(await post("twilio", tampered, good), 401, "WEBHOOK_SIGNATURE_INVALID");
    const wrong = headers("another-twilio-auth-token-xyz", params, "tw-2");
    await expectError(await post("twilio", form(params), wrong), 401, "WEBHOOK_SIGNATURE_INVALID");
    // Signed for another URL (a request replayed at a different path is refused).
    const elsewhere = {
      ...good,
      "x-twilio-signature": getExpectedTwilioSignature(
        TEST_WEBHOOK_SECRETS.TWILIO_AUTH_TOKEN,
        `${url}?x=1`,
        params,
      ),
    };
    await expectError(await post("twilio", form(params), elsewhere), 401, "WEBHOOK_SIGNATURE_INVALID");
    expect(await recorded("twilio")).toEqual([
      { event_id: expect.stringMatching(/^sha256:/), event_type: "delivered" },
    ]);
  });

  it("takes a replay with a new idempotency token, or its parameters reordered, for a duplicate, queued once", async () => {
    const { queue, sent } = watchedQueue();
    const captured = headers(TEST_WEBHOOK_SECRETS.TWILIO_AUTH_TOKEN, params, "tw-original");
    const first = await json(await postVia(queue, "twilio", form(params), captured));
    expect(first).toMatchObject({ duplicate: false });
    // Neither the token nor the parameters' order is covered by X-Twilio-Signature.
    const newToken = { ...captured, "i-twilio-idempotency-token": "tw-forged" };
    expect(await json(await postVia(queue, "twilio", form(params), newToken))).toMatchObject({
      event_id: first.event_id,
      duplicate: true,
    });
    const reordered = "To=%2B15551234567&MessageStatus=delivered&MessageSid=SM123";
    expect(await json(await postVia(queue, "twilio", reordered, newToken))).toMatchObject({
      event_id: first.event_id,
      duplicate: true,
    });
    expect(sent).toHaveLength(1);
    expect(await stateOf("twilio")).toMatchObject([{ sender_event_id: "tw-original", attempts: 1 }]);
  });
});

describe("standard webhooks senders", () => {
  const payload = JSON.stringify({ type: "envelope.completed", data: { envelope_id: "e-1" } });
  const signed = (secret: string, id: string, at = new Date()) => {
    const signature = new Webhook(secret).sign(id, at, payload);
    return {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": signature,
    };
  };

  it("verifies a configured sender's signature; replay, tampering, stale and wrong secrets are handled", async () => {
    const good = signed(DOCUSIGN_SECRET, "msg_1");
    expect(await json(await post("docusign", payload, good))).toMatchObject({
      event_id: "msg_1",
      duplicate: false,
    });
    expect(await json(await post("docusign", payload, good))).toMatchObject({ duplicate: true });
    await expectError(
      await post("docusign", payload.replace("e-1", "e-2"), good),
      401,
      "WEBHOOK_SIGNATURE_INVALID",
    );
    const stale = signed(DOCUSIGN_SECRET, "msg_2", new Date(Date.now() - 10 * 60_000));
    await expectError(await post("docusign", payload, stale), 401, "WEBHOOK_SIGNATURE_INVALID");
    const wrong = signed("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", "msg_3");
    await expectError(await post("docusign", payload, wrong), 401, "WEBHOOK_SIGNATURE_INVALID");
    expect(await recorded("docusign")).toEqual([{ event_id: "msg_1", event_type: "envelope.completed" }]);
  });

  it("answers 404 for a provider this deployment does not receive, and 413 for an oversized body", async () => {
    await expectError(await post("paypal", "{}", {}), 404, "WEBHOOK_PROVIDER_NOT_CONFIGURED");
    await expectError(await post("../admin", "{}", {}, "/api/webhooks/UPPER"), 400, "VALIDATION_FAILED");
    const huge = "x".repeat(1024 * 1024 + 1);
    await expectError(
      await post("docusign", huge, signed(DOCUSIGN_SECRET, "msg_big")),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });
});

describe("an event kept but not processed", () => {
  const event = (id: string) =>
    JSON.stringify({ id, object: "event", type: "invoice.paid", created: 1, data: { object: {} } });
  const signed = async (payload: string) => ({
    "stripe-signature": await stripe.webhooks.generateTestHeaderStringAsync({
      payload,
      secret: STRIPE_SECRET,
      cryptoProvider,
    }),
  });

  it("is kept when the queue refuses it; the sender's retry queues it and the consumer processes it", async () => {
    const payload = event("evt_queue_down");
    const down = watchedQueue(env.EVENTS_QUEUE, true);
    const refused = await postVia(down.queue, "stripe", payload, await signed(payload));
    await expectError(refused, 503, "SERVICE_UNAVAILABLE");
    expect(await stateOf("stripe")).toMatchObject([
      {
        event_id: "evt_queue_down",
        state: "received",
        attempts: 0,
        last_error: expect.stringContaining("queueing failed"),
      },
    ]);

    // The sender retries once the queue is back: not a duplicate, queued now.
    const up = watchedQueue();
    expect(await json(await postVia(up.queue, "stripe", payload, await signed(payload)))).toMatchObject({
      duplicate: false,
      state: "queued",
    });
    expect(up.sent).toEqual([{ kind: "inbound", provider: "stripe", event_id: "evt_queue_down" }]);
    await consume(up.sent);
    expect(await stateOf("stripe")).toMatchObject([{ state: "processed", attempts: 1 }]);
    // From now on a retry is a plain duplicate and queues nothing.
    expect(await json(await postVia(up.queue, "stripe", payload, await signed(payload)))).toMatchObject({
      duplicate: true,
      state: "processed",
    });
    expect(up.sent).toHaveLength(1);
  });

  it("is queued again on the sender's retry after the consumer gave up on it (dead-lettered)", async () => {
    const payload = event("evt_gave_up");
    const { queue, sent } = watchedQueue();
    await postVia(queue, "stripe", payload, await signed(payload));
    // The consumer failed every retry: the queue moved the message to the dead-letter queue.
    await consume(sent, "nexus-events-dlq");
    expect(await stateOf("stripe")).toMatchObject([
      { state: "received", last_error: expect.stringContaining("dead-lettered") },
    ]);
    const retry = await postVia(queue, "stripe", payload, await signed(payload));
    expect(await json(retry)).toMatchObject({ duplicate: false, state: "queued" });
    expect(sent).toHaveLength(2);
    await consume(sent.slice(1));
    expect(await stateOf("stripe")).toMatchObject([{ state: "processed", attempts: 2 }]);
  });
});
