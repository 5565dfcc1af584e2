// Inbound webhooks signed by the senders' own libraries: valid -> 200 and one recorded event;
// tampered body, wrong secret or stale timestamp -> 401 and nothing stored; replay -> no second effect.
import { env } from "cloudflare:workers";
import { sign as githubSign } from "@octokit/webhooks-methods";
import { Webhook } from "standardwebhooks";
import Stripe from "stripe";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { describe, expect, it } from "vitest";
import { BASE_URL, call, expectError, json } from "../../../test/helpers.ts";
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
    expect(await json(first)).toEqual({ success: true, event_id: "evt_valid", duplicate: false });
    const replay = await post("stripe", payload, { "stripe-signature": header });
    expect(await json(replay)).toEqual({ success: true, event_id: "evt_valid", duplicate: true });
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

  it("accepts a signed delivery once and refuses tampering or another secret", async () => {
    const good = await headers(TEST_WEBHOOK_SECRETS.GITHUB_WEBHOOK_SECRET, "d-1");
    expect(await json(await post("github", payload, good))).toMatchObject({
      event_id: "d-1",
      duplicate: false,
    });
    expect(await json(await post("github", payload, good))).toMatchObject({
      event_id: "d-1",
      duplicate: true,
    });
    await expectError(
      await post("github", payload.replace("v2", "v9"), good),
      401,
      "WEBHOOK_SIGNATURE_INVALID",
    );
    const wrong = await headers("not-the-github-secret-at-all", "d-2");
    await expectError(await post("github", payload, wrong), 401, "WEBHOOK_SIGNATURE_INVALID");
    expect(await recorded("github")).toEqual([{ event_id: "d-1", event_type: "release" }]);
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

  it("validates the signature over the URL and sorted form parameters, once per idempotency token", async () => {
    const good = headers(TEST_WEBHOOK_SECRETS.TWILIO_AUTH_TOKEN, params);
    expect(await json(await post("twilio", form(params), good))).toMatchObject({
      event_id: "tw-1",
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
    expect(await recorded("twilio")).toEqual([{ event_id: "tw-1", event_type: "delivered" }]);
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
