import { createHmac } from "node:crypto";
import { signStandardWebhook } from "@nexus/security";
import { describe, expect, it } from "vitest";
import { RESEND_STAND_IN_WEBHOOK_SECRET } from "../../../../../scripts/notify-stand-ins/handler.ts";
import { call, json } from "../../../test/helpers.ts";
import {
  attemptRows,
  forward,
  insertMessage,
  messageRow,
  notificationCompany,
  runDelivery,
  standInWebhooks,
  uniqueAddress,
} from "../../../test/notifications.ts";
import { TEST_WEBHOOK_SECRETS } from "../../../test/webhook-secrets.ts";

/** An email sent through the Resend stand-in, with the webhooks Resend would post about it. */
async function sentEmail(prefix: string) {
  const { companyId, db } = await notificationCompany();
  const address = uniqueAddress(prefix);
  const id = await insertMessage(db, { channel: "email", address, recipientKey: `email:${address}` });
  await runDelivery(companyId, id);
  const row = await messageRow(db, id);
  expect(row.status).toBe("sent");
  const hooks = await standInWebhooks("resend", row.providerMessageId ?? "");
  return { db, id, hooks };
}

const typeOf = (body: string) => (JSON.parse(body) as { type: string }).type;

async function signedResend(body: string, secret = RESEND_STAND_IN_WEBHOOK_SECRET) {
  const id = `msg_${Math.random().toString(36).slice(2)}`;
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = await signStandardWebhook([secret], { id, timestamp, body });
  return {
    "content-type": "application/json",
    "svix-id": id,
    "svix-timestamp": String(timestamp),
    "svix-signature": signature,
  };
}

describe("POST /api/notifications/providers/resend/events", () => {
  it("moves a sent email to delivered; a repeat is a no-op", async () => {
    const { db, id, hooks } = await sentEmail("ok");
    expect(hooks.map((hook) => typeOf(hook.body))).toEqual(["email.sent", "email.delivered"]);
    const [sentHook, deliveredHook] = hooks;
    if (!sentHook || !deliveredHook) throw new Error("missing webhooks");

    const ignored = await forward(sentHook);
    expect(ignored.status).toBe(200);
    expect(await json(ignored)).toMatchObject({ outcome: "ignored", message_id: id, status: null });
    const applied = await forward(deliveredHook);
    expect(await json(applied)).toEqual({
      success: true,
      outcome: "applied",
      message_id: id,
      status: "delivered",
    });
    const repeat = await forward(deliveredHook);
    expect(await json(repeat)).toMatchObject({ outcome: "duplicate" });

    const row = await messageRow(db, id);
    expect(row.status).toBe("delivered");
    expect(row.deliveredAt).not.toBeNull();
    expect((await attemptRows(db, id)).map((a) => [a.provider, a.outcome])).toEqual([
      ["resend", "sent"],
      ["resend", "delivered"],
    ]);
  });

  it("a bounce webhook moves sent → bounced with the provider's reason", async () => {
    const { db, id, hooks } = await sentEmail("bounce");
    const bounce = hooks.find((hook) => typeOf(hook.body) === "email.bounced");
    if (!bounce) throw new Error("no bounce webhook");
    const response = await forward(bounce);
    expect(await json(response)).toMatchObject({ outcome: "applied", status: "bounced" });
    const row = await messageRow(db, id);
    expect(row.status).toBe("bounced");
    expect(row.statusReason).toContain("The mailbox does not exist.");
  });

  it("delivered never goes back: a late bounce after delivery changes nothing", async () => {
    const { db, id, hooks } = await sentEmail("ok");
    const delivered = hooks.find((hook) => typeOf(hook.body) === "email.delivered");
    if (!delivered) throw new Error("no delivered webhook");
    await forward(delivered);
    const emailId = (JSON.parse(delivered.body) as { data: { email_id: string } }).data.email_id;
    const body = JSON.stringify({
      type: "email.bounced",
      created_at: new Date().toISOString(),
      data: { email_id: emailId },
    });
    const late = await call("/api/notifications/providers/resend/events", {
      method: "POST",
      headers: await signedResend(body),
      body,
    });
    expect(await json(late)).toMatchObject({ outcome: "duplicate", status: "bounced" });
    expect((await messageRow(db, id)).status).toBe("delivered");
  });

  it("refuses a tampered body, a wrong secret and a missing signature with 401", async () => {
    const { db, id, hooks } = await sentEmail("bounce");
    const bounce = hooks.find((hook) => typeOf(hook.body) === "email.bounced");
    if (!bounce) throw new Error("no bounce webhook");
    // Same signature headers, the event turned into a delivery.
    const tampered = await forward(bounce, (body) => body.replace("email.bounced", "email.delivered"));
    expect(tampered.status).toBe(401);
    expect(await json(tampered)).toMatchObject({ error: { code: "WEBHOOK_SIGNATURE_INVALID" } });
    const forged = await call("/api/notifications/providers/resend/events", {
      method: "POST",
      headers: await signedResend(bounce.body, "whsec_dGhpcyBpcyBub3QgdGhlIHJlc2VuZCBzZWNyZXQ="),
      body: bounce.body,
    });
    expect(forged.status).toBe(401);
    const unsigned = await call("/api/notifications/providers/resend/events", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: bounce.body,
    });
    expect(unsigned.status).toBe(401);
    expect((await messageRow(db, id)).status).toBe("sent");
  });

  it("answers 200 ignored for a message it does not know, so Resend stops retrying", async () => {
    const body = JSON.stringify({
      type: "email.delivered",
      created_at: new Date().toISOString(),
      data: { email_id: "unknown-email" },
    });
    const response = await call("/api/notifications/providers/resend/events", {
      method: "POST",
      headers: await signedResend(body),
      body,
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      success: true,
      outcome: "ignored",
      message_id: null,
      status: "delivered",
    });
  });

  it("refuses an unknown provider with a validation error", async () => {
    const response = await call("/api/notifications/providers/mailgun/events", {
      method: "POST",
      body: "{}",
    });
    expect(response.status).toBe(400);
  });
});

describe("POST /api/notifications/providers/twilio/events", () => {
  async function sentSms(phone: string) {
    const { companyId, db } = await notificationCompany();
    const id = await insertMessage(db, {
      channel: "sms",
      address: phone,
      recipientKey: `phone:${phone}`,
      body: `hi ${Math.random()}`,
    });
    await runDelivery(companyId, id);
    const row = await messageRow(db, id);
    return { db, id, hooks: await standInWebhooks("twilio", row.providerMessageId ?? "") };
  }
  const statusOf = (body: string) => new URLSearchParams(body).get("MessageStatus");

  it("moves a sent SMS to delivered from Twilio's signed status callback", async () => {
    const { db, id, hooks } = await sentSms("+15551230002");
    expect(hooks.map((hook) => statusOf(hook.body))).toEqual(["sent", "delivered"]);
    for (const hook of hooks) expect((await forward(hook)).status).toBe(200);
    expect((await messageRow(db, id)).status).toBe("delivered");
  });

  it("moves an undelivered SMS to bounced", async () => {
    const { db, id, hooks } = await sentSms("+15551230404");
    const undelivered = hooks.find((hook) => statusOf(hook.body) === "undelivered");
    if (!undelivered) throw new Error("no undelivered callback");
    expect(await json(await forward(undelivered))).toMatchObject({ outcome: "applied", status: "bounced" });
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "bounced", statusReason: "Twilio undelivered (error 30003)" });
  });

  it("refuses a callback whose parameters were changed after signing", async () => {
    const { db, id, hooks } = await sentSms("+15551230003");
    const delivered = hooks.find((hook) => statusOf(hook.body) === "delivered");
    if (!delivered) throw new Error("no delivered callback");
    const response = await forward(delivered, (body) =>
      body.replace("MessageStatus=delivered", "MessageStatus=failed"),
    );
    expect(response.status).toBe(401);
    // Signed with the right token but for another URL: refused too.
    const params = new URLSearchParams(delivered.body);
    const signed = [...params]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => k + v)
      .join("");
    const otherUrl = createHmac("sha1", TEST_WEBHOOK_SECRETS.TWILIO_AUTH_TOKEN)
      .update(`https://elsewhere.example/api/notifications/providers/twilio/events${signed}`)
      .digest("base64");
    const moved = await forward({
      ...delivered,
      headers: { ...delivered.headers, "x-twilio-signature": otherUrl },
    });
    expect(moved.status).toBe(401);
    expect((await messageRow(db, id)).status).toBe("sent");
  });
});
