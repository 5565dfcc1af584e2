// planDelivery against the real tenant database, with preferences set through the preferences API.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  callAs,
  hhmm,
  insertMessage,
  notificationsPath,
  notifyCompany,
} from "../../routes/notification-preferences/fixtures.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { type PlanInput, planDelivery } from "./plan.ts";
import { preferenceEnabled, preferencesOfRecipients } from "./preferences.ts";

async function setup(name: string) {
  const s = await notifyCompany(name, { member: false });
  const db = await tenantDatabase(env, s.companyId);
  const recipientKey = `user:${s.ownerId}`;
  const put = async (body: unknown) => {
    const response = await callAs(s.owner, `${notificationsPath(s.companyId)}/preferences`, {
      method: "PUT",
      body,
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const plan = (input: Partial<PlanInput> = {}) =>
    planDelivery(db, {
      recipientKey,
      channel: "email",
      category: "projects",
      critical: false,
      digestMinutes: null,
      now: Date.now(),
      ...input,
    });
  return { ...s, db, recipientKey, put, plan };
}

describe("preferenceEnabled", () => {
  it("lets the most specific setting win and defaults to on", () => {
    const prefs = [
      { category: "*", channel: "*", enabled: false },
      { category: "*", channel: "email", enabled: true },
      { category: "billing", channel: "*", enabled: false },
      { category: "billing", channel: "push", enabled: true },
    ];
    expect(preferenceEnabled(prefs, "projects", "sms")).toBe(false);
    expect(preferenceEnabled(prefs, "projects", "email")).toBe(true);
    expect(preferenceEnabled(prefs, "billing", "email")).toBe(false);
    expect(preferenceEnabled(prefs, "billing", "push")).toBe(true);
    expect(preferenceEnabled([], "anything", "email")).toBe(true);
  });
});

describe("planDelivery", () => {
  it("skips what the recipient opted out of, and critical workflows deliver through opt-outs and quiet hours", async () => {
    const s = await setup("plan-optout");
    expect(await s.plan()).toEqual({ action: "send" });
    await s.put({
      preferences: [
        { category: "projects", channel: "email", enabled: false },
        { category: "*", channel: "sms", enabled: false },
      ],
    });
    expect(await s.plan()).toEqual({ action: "skip", reason: "opted out" });
    expect(await s.plan({ channel: "sms", category: "billing" })).toEqual({
      action: "skip",
      reason: "opted out",
    });
    expect(await s.plan({ channel: "push" })).toEqual({ action: "send" });
    // Critical: through the opt-out, and through quiet hours that cover the whole day but one minute.
    const now = Date.now();
    await s.put({ quiet_start: hhmm(now - 3_600_000), quiet_end: hhmm(now + 120_000) });
    expect(await s.plan({ critical: true })).toEqual({ action: "send" });
    expect(await s.plan({ critical: true, digestMinutes: 5 })).toEqual({ action: "send" });
  });

  it("holds email, SMS and push in quiet hours until the window's end (epoch ms), but not the in-app inbox", async () => {
    const s = await setup("plan-quiet");
    const now = Date.now();
    const end = Math.floor(now / 60_000) * 60_000 + 120_000;
    await s.put({ time_zone: "UTC", quiet_start: hhmm(now - 3_600_000), quiet_end: hhmm(end) });
    for (const channel of ["email", "sms", "push"]) {
      expect(await s.plan({ channel, now })).toEqual({ action: "hold", until: end });
    }
    expect(await s.plan({ channel: "in_app", now })).toEqual({ action: "send" });
    // After the window.
    expect(await s.plan({ now: end })).toEqual({ action: "send" });
  });

  it("batches a workflow's messages to one recipient and channel into one digest; the first fixes when it closes", async () => {
    const s = await setup("plan-digest");
    const t0 = Date.now();
    const first = await s.plan({ workflowKey: "usage.threshold", digestMinutes: 10, now: t0 });
    expect(first).toMatchObject({ action: "digest", until: t0 + 600_000 });
    if (first.action !== "digest") throw new Error("not a digest");
    // The trigger stores it queued and held, with the key.
    await insertMessage(s.companyId, {
      recipientKey: s.recipientKey,
      workflowKey: "usage.threshold",
      channel: "email",
      status: "queued",
      scheduledFor: first.until,
      digestKey: first.digestKey,
    });
    const later = await s.plan({ workflowKey: "usage.threshold", digestMinutes: 10, now: t0 + 120_000 });
    expect(later).toEqual(first);
    // Another channel, another workflow, another recipient: windows of their own.
    const push = await s.plan({
      workflowKey: "usage.threshold",
      digestMinutes: 10,
      channel: "push",
      now: t0,
    });
    const other = await s.plan({ workflowKey: "release.published", digestMinutes: 10, now: t0 });
    const someone = await s.plan({
      workflowKey: "usage.threshold",
      digestMinutes: 10,
      recipientKey: "email:x@y.example",
    });
    for (const plan of [push, other, someone]) {
      expect(plan.action).toBe("digest");
      if (plan.action === "digest") expect(plan.digestKey).not.toBe(first.digestKey);
    }
    // Once the window has closed, the next message opens a new one.
    const next = await s.plan({ workflowKey: "usage.threshold", digestMinutes: 10, now: first.until + 1 });
    expect(next.action === "digest" && next.digestKey !== first.digestKey).toBe(true);
    // Opted out: skipped, not batched.
    await s.put({ preferences: [{ category: "projects", channel: "*", enabled: false }] });
    expect(await s.plan({ workflowKey: "usage.threshold", digestMinutes: 10 })).toEqual({
      action: "skip",
      reason: "opted out",
    });
  });
});

describe("planning a whole trigger", () => {
  it("reads every recipient's preferences and settings at once, past one query's 90 keys, and plans as one by one", async () => {
    const s = await setup("plan-many");
    await s.put({
      time_zone: "UTC",
      quiet_start: hhmm(Date.now() - 3_600_000),
      quiet_end: hhmm(Date.now() + 600_000),
      preferences: [{ category: "projects", channel: "sms", enabled: false }],
    });
    const others = Array.from({ length: 95 }, (_, i) => `email:someone-${i}@plan.example`);
    // The caller's key last, so it falls in the second query.
    const context = await preferencesOfRecipients(s.db, [...others, s.recipientKey, s.recipientKey]);
    expect([...context.preferences.keys()]).toEqual([s.recipientKey]);
    expect([...context.settings.keys()]).toEqual([s.recipientKey]);
    const now = Date.now();
    const actions: string[] = [];
    for (const channel of ["sms", "email", "in_app"]) {
      const input = {
        recipientKey: s.recipientKey,
        channel,
        category: "projects",
        critical: false,
        digestMinutes: null,
        now,
      };
      const plan = await planDelivery(s.db, input, context);
      expect(plan).toEqual(await planDelivery(s.db, input));
      actions.push(plan.action);
    }
    expect(actions).toEqual(["skip", "hold", "send"]);
    expect((await planDelivery(s.db, { ...baseInput(others[0]), now }, context)).action).toBe("send");
  });
});

const baseInput = (recipientKey = "") => ({
  recipientKey,
  channel: "email",
  category: "projects",
  critical: false,
  digestMinutes: null,
});
