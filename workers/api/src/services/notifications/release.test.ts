// Held messages end to end: the trigger's plan holds them (quiet hours, a digest window), the
// company's hub keeps them and its alarm sends `release` to the real notifications queue, whose
// consumer re-checks them (release.ts) and queues the deliveries that reach the Resend stand-in.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { notificationMessages } from "@nexus/db/tenant";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import {
  callAs,
  emailsTo,
  hhmm,
  insertMessage,
  notificationsPath,
  notifyCompany,
  waitFor,
} from "../../routes/notification-preferences/fixtures.ts";
import { companyHub } from "../hub.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { DIGEST_IDEMPOTENCY_PREFIX } from "./digest.ts";
import { holdMessages } from "./hold.ts";
import { planDelivery } from "./plan.ts";
import { releaseHeld } from "./release.ts";

async function setup(name: string) {
  const s = await notifyCompany(name, { member: false });
  const db = await tenantDatabase(env, s.companyId);
  const recipientKey = `user:${s.ownerId}`;
  const address = `owner+${name}@${name}.example`;
  const put = async (body: unknown) => {
    const response = await callAs(s.owner, `${notificationsPath(s.companyId)}/preferences`, {
      method: "PUT",
      body,
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const row = async (id: string) => {
    const [found] = await drizzle(db)
      .select()
      .from(notificationMessages)
      .where(eq(notificationMessages.id, id));
    if (!found) throw new Error(`no message ${id}`);
    return found;
  };
  const hub = companyHub(env, s.companyId);
  const held = () => hub.heldNotifications(s.companyId);
  /** Moves a held message's time to now (its window is over), in the row and the hub. */
  const due = async (ids: string[]) => {
    const now = Date.now() - 1;
    for (const id of ids) {
      await drizzle(db)
        .update(notificationMessages)
        .set({ scheduledFor: now })
        .where(eq(notificationMessages.id, id));
    }
    await holdMessages(
      env,
      s.companyId,
      ids.map((id) => ({ id, until: now })),
    );
  };
  /** A queued email to the owner whose hold is already over (as a release finds it). */
  const heldEmail = (fields: Partial<Parameters<typeof insertMessage>[1]> = {}) =>
    insertMessage(s.companyId, {
      recipientKey,
      channel: "email",
      address,
      status: "queued",
      scheduledFor: Date.now() - 1,
      ...fields,
    });
  return { ...s, db, recipientKey, address, put, row, hub, held, due, heldEmail };
}

describe("quiet hours", () => {
  it("holds a message in the hub until the window ends, then the alarm releases and delivers it", async () => {
    const s = await setup("quiet-release");
    const now = Date.now();
    await s.put({ time_zone: "UTC", quiet_start: hhmm(now - 3_600_000), quiet_end: hhmm(now + 120_000) });
    const plan = await planDelivery(s.db, {
      recipientKey: s.recipientKey,
      channel: "email",
      category: "projects",
      critical: false,
      digestMinutes: null,
      now,
    });
    if (plan.action !== "hold") throw new Error(`expected a hold, got ${JSON.stringify(plan)}`);
    const id = await insertMessage(s.companyId, {
      recipientKey: s.recipientKey,
      channel: "email",
      address: s.address,
      subject: "Kitchen Miller assigned",
      body: "<p>You were assigned.</p>",
      status: "queued",
      scheduledFor: plan.until,
    });
    await holdMessages(env, s.companyId, [{ id, until: plan.until }]);
    expect(await s.held()).toEqual({ held: 1, next_release_at: plan.until });
    // The hub's alarm is set for the release (no flush is pending in this company).
    const alarm = await runInDurableObject(s.hub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBe(plan.until);
    // Not due yet: an early alarm releases nothing.
    await runDurableObjectAlarm(s.hub);
    expect((await s.held()).held).toBe(1);

    // The window ends: the recipient's quiet hours now lie behind them, and the hold comes due.
    await s.put({ quiet_start: hhmm(now - 3_600_000), quiet_end: hhmm(now) });
    await s.due([id]);
    expect(await runDurableObjectAlarm(s.hub)).toBe(true);
    expect(await s.held()).toEqual({ held: 0, next_release_at: null });
    const sent = await waitFor(
      () => s.row(id),
      (r) => r.status !== "queued",
      "the delivery",
    );
    expect(sent.status).toBe("sent");
    const mails = await emailsTo(s.address);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe("Kitchen Miller assigned");
  });

  it("holds a released message again when the recipient is inside quiet hours again", async () => {
    const s = await setup("quiet-again");
    const now = Date.now();
    const id = await s.heldEmail();
    await s.put({ time_zone: "UTC", quiet_start: hhmm(now - 3_600_000), quiet_end: hhmm(now + 180_000) });
    const outcome = await releaseHeld(env, s.companyId, [id]);
    expect(outcome.delivered).toEqual([]);
    expect(outcome.held).toHaveLength(1);
    const until = outcome.held[0]?.until ?? 0;
    expect(until).toBeGreaterThan(now);
    expect((await s.row(id)).scheduledFor).toBe(until);
    expect(await s.held()).toEqual({ held: 1, next_release_at: until });
  });
});

describe("opt-out and critical", () => {
  it("a held message whose recipient opted out meanwhile ends not_sent, with zero provider calls", async () => {
    const s = await setup("release-optout");
    const id = await s.heldEmail();
    await s.put({ preferences: [{ category: "projects", channel: "email", enabled: false }] });
    await s.due([id]);
    await runDurableObjectAlarm(s.hub);
    const skipped = await waitFor(
      () => s.row(id),
      (r) => r.status !== "queued",
      "the release",
    );
    expect(skipped).toMatchObject({ status: "not_sent", statusReason: "opted out", attempts: 0 });
    expect(await emailsTo(s.address)).toEqual([]);
  });

  it("a critical held message is delivered through opt-outs and quiet hours", async () => {
    const s = await setup("release-critical");
    const now = Date.now();
    await s.put({
      time_zone: "UTC",
      quiet_start: hhmm(now - 3_600_000),
      quiet_end: hhmm(now + 600_000),
      preferences: [{ category: "*", channel: "*", enabled: false }],
    });
    const id = await s.heldEmail({ subject: "Security notice", critical: true });
    const outcome = await releaseHeld(env, s.companyId, [id]);
    expect(outcome.delivered).toEqual([id]);
    await waitFor(
      () => s.row(id),
      (r) => r.status === "sent",
      "the delivery",
    );
    expect(await emailsTo(s.address)).toHaveLength(1);
  });
});

describe("digests", () => {
  it("turns a closed window into one digest message; the batched ones are sent `in digest <id>`", async () => {
    const s = await setup("digest-release");
    const t0 = Date.now();
    const ids: string[] = [];
    let until = 0;
    for (let i = 0; i < 3; i++) {
      const plan = await planDelivery(s.db, {
        recipientKey: s.recipientKey,
        channel: "email",
        category: "usage",
        critical: false,
        digestMinutes: 30,
        now: t0 + i,
        workflowKey: "usage.threshold",
      });
      if (plan.action !== "digest") throw new Error(`expected a digest, got ${JSON.stringify(plan)}`);
      until ||= plan.until;
      expect(plan.until).toBe(until);
      const id = await insertMessage(s.companyId, {
        recipientKey: s.recipientKey,
        workflowKey: "usage.threshold",
        category: "usage",
        channel: "email",
        address: s.address,
        subject: `Usage at ${80 + i * 5}%`,
        body: `<p>item ${i} &amp; more</p>`,
        status: "queued",
        scheduledFor: plan.until,
        digestKey: plan.digestKey,
        createdAt: t0 + i,
      });
      await holdMessages(env, s.companyId, [{ id, until: plan.until }]);
      ids.push(id);
    }
    expect(await s.held()).toEqual({ held: 3, next_release_at: until });

    await s.due(ids);
    await runDurableObjectAlarm(s.hub);
    const batched = await waitFor(
      () => Promise.all(ids.map((id) => s.row(id))),
      (rows) => rows.every((r) => r.status !== "queued"),
      "the digest",
    );
    const digestKey = batched[0]?.digestKey ?? "";
    const [digest] = await drizzle(s.db)
      .select()
      .from(notificationMessages)
      .where(eq(notificationMessages.idempotencyKey, `${DIGEST_IDEMPOTENCY_PREFIX}${digestKey}`));
    if (!digest) throw new Error("no digest message");
    for (const row of batched) {
      expect(row).toMatchObject({ status: "sent", statusReason: `in digest ${digest.id}`, attempts: 0 });
    }
    expect(digest).toMatchObject({ digestKey, workflowKey: "usage.threshold", recipientKey: s.recipientKey });
    expect(digest.payload).toEqual({ digest: { count: 3, message_ids: ids } });
    await waitFor(
      () => s.row(digest.id),
      (r) => r.status === "sent",
      "the digest's delivery",
    );
    // One provider call for the three.
    const mails = await emailsTo(s.address);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe("3 notifications: Usage at 80%");
    const html = mails[0]?.html ?? "";
    expect(html).toContain("<strong>Usage at 90%</strong><br><p>item 2 &amp; more</p>");
    expect(html.indexOf("Usage at 80%")).toBeLessThan(html.indexOf("Usage at 85%"));

    // The same window released again (a redelivered queue message) changes nothing.
    const again = await releaseHeld(env, s.companyId, ids);
    expect(again).toEqual({ delivered: [], skipped: [], held: [], digests: [] });
  });

  it("releases a window of one as the message itself", async () => {
    const s = await setup("digest-single");
    const id = await s.heldEmail({ digestKey: "dg_single" });
    const outcome = await releaseHeld(env, s.companyId, [id]);
    expect(outcome).toMatchObject({ delivered: [id], digests: [] });
  });
});
