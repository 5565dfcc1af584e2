import { env } from "cloudflare:workers";
import { deadLetters, notificationProviderRefs } from "@nexus/db/central";
import { pushSubscriptions } from "@nexus/db/tenant";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import {
  attemptRows,
  insertMessage,
  messageRow,
  notificationCompany,
  runDelivery,
  standIn,
  uniqueAddress,
} from "../../../test/notifications.ts";
import { retryDelaySeconds } from "./deliver.ts";

const central = () => drizzle(env.CENTRAL_DB);
const sentTo = async (address: string) =>
  (
    await standIn<{ emails: { id: string; html: string; text: string }[] }>(
      `/_stand-in/emails?to=${encodeURIComponent(address)}`,
    )
  ).emails;

describe("retry delays", () => {
  it("double each attempt with at most 20 % jitter, capped at the queue's 12 hours", () => {
    expect([1, 2, 3, 4].map((n) => retryDelaySeconds(30, n, () => 0))).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(30, 3, () => 0.999)).toBe(144);
    expect(retryDelaySeconds(3600, 10, () => 0)).toBe(43_200);
  });
});

describe("email delivery", () => {
  it("fails twice, then is sent on attempt 3 after growing delays, each recorded", async () => {
    const { companyId, db } = await notificationCompany();
    const address = uniqueAddress("fail-twice");
    const id = await insertMessage(db, { channel: "email", address, recipientKey: `email:${address}` });

    const run = await runDelivery(companyId, id, { NOTIFY_RETRY_BASE_SECONDS: "10" });

    expect(run.deliveries).toBe(3);
    expect(run.delays).toHaveLength(2);
    const [first, second] = run.delays as [number, number];
    expect(first).toBeGreaterThanOrEqual(10);
    expect(first).toBeLessThanOrEqual(12);
    expect(second).toBeGreaterThanOrEqual(20);
    expect(second).toBeLessThanOrEqual(24);
    const attempts = await attemptRows(db, id);
    expect(attempts.map((a) => [a.attempt, a.provider, a.outcome, a.retryDelaySeconds])).toEqual([
      [1, "resend", "failed", first],
      [2, "resend", "failed", second],
      [3, "resend", "sent", null],
    ]);
    expect(attempts[0]?.httpStatus).toBe(500);
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "sent", attempts: 3, provider: "resend" });
    const emails = await sentTo(address);
    expect(emails.map((email) => email.id)).toEqual([row.providerMessageId]);
    expect(emails[0]?.html).toContain("<b>Roof 12</b>");
    expect(emails[0]?.text).toContain("Project Roof 12 is yours.");
    const [ref] = await central()
      .select()
      .from(notificationProviderRefs)
      .where(eq(notificationProviderRefs.providerMessageId, row.providerMessageId ?? ""));
    expect(ref).toMatchObject({ provider: "resend", companyId, messageId: id });
  });

  it("always failing ends undelivered after NOTIFY_MAX_ATTEMPTS, with exactly one dead letter", async () => {
    const { companyId, db } = await notificationCompany();
    const address = uniqueAddress("fail-always");
    const id = await insertMessage(db, { channel: "email", address, recipientKey: `email:${address}` });

    const run = await runDelivery(companyId, id, {
      NOTIFY_MAX_ATTEMPTS: "4",
      NOTIFY_RETRY_BASE_SECONDS: "1",
    });
    expect(run.deliveries).toBe(4);
    expect(run.delays).toHaveLength(3);
    expect(run.delays[1]).toBeGreaterThan(run.delays[0] ?? 0);
    // The queue hands the message over again (a redelivery): nothing more happens.
    await runDelivery(companyId, id, { NOTIFY_MAX_ATTEMPTS: "4" }, 1, 5);

    const row = await messageRow(db, id);
    expect(row.status).toBe("undelivered");
    expect(row.attempts).toBe(4);
    expect(row.statusReason).toContain("failed 4 attempts");
    expect(await attemptRows(db, id)).toHaveLength(4);
    const letters = await central().select().from(deadLetters).where(eq(deadLetters.messageId, id));
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      queue: "nexus-notifications",
      companyId,
      attempts: 4,
      state: "pending",
    });
    expect(await sentTo(address)).toHaveLength(0);
  });

  it("carries RFC 8058 one-click unsubscribe headers and a footer link, except for critical workflows", async () => {
    const { companyId, db } = await notificationCompany();
    const address = uniqueAddress("unsub");
    const id = await insertMessage(db, { channel: "email", address, recipientKey: `email:${address}` });
    const critical = uniqueAddress("critical");
    const criticalId = await insertMessage(db, {
      channel: "email",
      address: critical,
      recipientKey: `email:${critical}`,
      critical: true,
    });
    await runDelivery(companyId, id);
    await runDelivery(companyId, criticalId);

    const emails = (addr: string) =>
      standIn<{ emails: { html: string; text: string; headers: Record<string, string> }[] }>(
        `/_stand-in/emails?to=${encodeURIComponent(addr)}`,
      );
    const [email] = (await emails(address)).emails;
    const link = /^<(http:\/\/nexus\.test\/api\/notifications\/unsubscribe\?token=[^>]+)>$/.exec(
      email?.headers["List-Unsubscribe"] ?? "",
    )?.[1];
    expect(link).toBeDefined();
    expect(email?.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(email?.html).toContain(`href="${(link ?? "").replaceAll("&", "&amp;")}"`);
    expect(email?.text).toContain(`Unsubscribe: ${link}`);
    const [criticalEmail] = (await emails(critical)).emails;
    expect(criticalEmail?.headers).toEqual({});
    expect(criticalEmail?.html).not.toContain("Unsubscribe");
  });

  it("a refusal the provider will repeat (422) ends undelivered at once", async () => {
    const { companyId, db } = await notificationCompany();
    const address = uniqueAddress("reject");
    const id = await insertMessage(db, { channel: "email", address, recipientKey: `email:${address}` });
    const run = await runDelivery(companyId, id);
    expect(run.deliveries).toBe(1);
    expect(await messageRow(db, id)).toMatchObject({ status: "undelivered", attempts: 1 });
    expect((await attemptRows(db, id))[0]).toMatchObject({ outcome: "failed", httpStatus: 422 });
  });

  it("fails over to the secondary provider in the same attempt, and the log names both", async () => {
    const { companyId, db } = await notificationCompany();
    const address = uniqueAddress("fail-always");
    const id = await insertMessage(db, { channel: "email", address, recipientKey: `email:${address}` });

    const run = await runDelivery(companyId, id, { NOTIFY_EMAIL_PROVIDERS: "resend,cloudflare" });

    expect(run).toEqual({ delays: [], deliveries: 1 });
    const attempts = await attemptRows(db, id);
    expect(attempts.map((a) => [a.attempt, a.provider, a.outcome])).toEqual([
      [1, "resend", "failed"],
      [1, "cloudflare", "sent"],
    ]);
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "sent", provider: "cloudflare", attempts: 1 });
    // Miniflare's send_email binding answered its Message-ID.
    expect(row.providerMessageId).toMatch(/@/);
  });

  it("a redelivered or duplicated queue message never makes a second provider call", async () => {
    const { companyId, db } = await notificationCompany();
    const address = uniqueAddress("once");
    const id = await insertMessage(db, { channel: "email", address, recipientKey: `email:${address}` });
    // Two consumers get the same first delivery at once, then the queue redelivers it.
    await Promise.all([runDelivery(companyId, id, {}, 1), runDelivery(companyId, id, {}, 1)]);
    await runDelivery(companyId, id, {}, 1, 2);
    expect(await sentTo(address)).toHaveLength(1);
    expect(await messageRow(db, id)).toMatchObject({ status: "sent", attempts: 1 });
    expect(await attemptRows(db, id)).toHaveLength(1);
  });

  it("leaves a message held for later (quiet hours) alone", async () => {
    const { companyId, db } = await notificationCompany();
    const address = uniqueAddress("held");
    const id = await insertMessage(db, {
      channel: "email",
      address,
      recipientKey: `email:${address}`,
      scheduledFor: Date.now() + 3_600_000,
    });
    await runDelivery(companyId, id);
    expect(await messageRow(db, id)).toMatchObject({ status: "queued", attempts: 0 });
    expect(await sentTo(address)).toHaveLength(0);
  });
});

describe("sms delivery", () => {
  it("sends through Twilio's form API with a status callback", async () => {
    const { companyId, db } = await notificationCompany();
    const phone = "+15551230001";
    const id = await insertMessage(db, {
      channel: "sms",
      address: phone,
      recipientKey: `phone:${phone}`,
      body: "Roof 12 is yours",
    });
    await runDelivery(companyId, id);
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "sent", provider: "twilio" });
    const { messages } = await standIn<{
      messages: { sid: string; body: string; status_callback: string }[];
    }>(`/_stand-in/sms?to=${encodeURIComponent(phone)}`);
    const sent = messages.find((message) => message.sid === row.providerMessageId);
    expect(sent).toMatchObject({
      body: "Roof 12 is yours",
      status_callback: "http://nexus.test/api/notifications/providers/twilio/events",
    });
  });
});

describe("web push delivery", () => {
  async function subscribe(db: D1Database, recipientKey: string, gone = false) {
    const subscription = await standIn<{ endpoint: string; keys: { p256dh: string; auth: string } }>(
      "/push/subscriptions",
      {
        method: "POST",
        body: JSON.stringify({ gone }),
      },
    );
    const id = `ps_${Math.random().toString(36).slice(2)}`;
    await drizzle(db)
      .insert(pushSubscriptions)
      .values({ id, recipientKey, endpoint: subscription.endpoint, ...subscription.keys });
    return { id, ...subscription };
  }

  it("a payload the push service decrypts with http_ece equals what was sent (VAPID verified)", async () => {
    const { companyId, db } = await notificationCompany();
    const recipientKey = "user:push-user-1";
    const live = await subscribe(db, recipientKey);
    const id = await insertMessage(db, {
      channel: "push",
      recipientKey,
      subject: "Roof 12",
      body: "Grüße: the crew starts at 7 🙂",
      payload: { project_id: "p12" },
    });

    await runDelivery(companyId, id);

    expect(await messageRow(db, id)).toMatchObject({ status: "sent", provider: "webpush" });
    const path = new URL(live.endpoint).pathname;
    const { messages } = await standIn<{ messages: { payload: string; urgency: string }[] }>(
      `${path}/messages`,
    );
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]?.payload ?? "")).toEqual({
      id,
      workflow: "project.assigned",
      category: "projects",
      title: "Roof 12",
      body: "Grüße: the crew starts at 7 🙂",
      data: { project_id: "p12" },
    });
    expect(messages[0]?.urgency).toBe("normal");
  });

  it("a 410 from the push service removes that subscription and keeps the others", async () => {
    const { companyId, db } = await notificationCompany();
    const recipientKey = "user:push-user-2";
    const gone = await subscribe(db, recipientKey, true);
    const live = await subscribe(db, recipientKey);
    const id = await insertMessage(db, { channel: "push", recipientKey, body: "hello" });

    await runDelivery(companyId, id);

    expect((await messageRow(db, id)).status).toBe("sent");
    const left = await drizzle(db)
      .select()
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.recipientKey, recipientKey));
    expect(left.map((s) => s.id)).toEqual([live.id]);
    expect(left[0]?.lastSuccessAt).not.toBeNull();
    expect(gone.endpoint).toContain("/push/gone/");
  });

  it("a recipient whose only subscription expired is not_sent, and the subscription is gone", async () => {
    const { companyId, db } = await notificationCompany();
    const recipientKey = "user:push-user-3";
    await subscribe(db, recipientKey, true);
    const id = await insertMessage(db, { channel: "push", recipientKey, body: "hello" });
    await runDelivery(companyId, id);
    expect(await messageRow(db, id)).toMatchObject({ status: "not_sent" });
    expect(
      await drizzle(db)
        .select()
        .from(pushSubscriptions)
        .where(eq(pushSubscriptions.recipientKey, recipientKey)),
    ).toEqual([]);
  });
});

describe("in-app delivery", () => {
  it("is delivered as soon as the consumer has it (the row is the inbox item)", async () => {
    const { companyId, db } = await notificationCompany();
    const id = await insertMessage(db, { channel: "in_app", recipientKey: "user:someone" });
    await runDelivery(companyId, id);
    const row = await messageRow(db, id);
    expect(row).toMatchObject({ status: "delivered", provider: "in_app", attempts: 1 });
    expect(row.deliveredAt).not.toBeNull();
  });
});
