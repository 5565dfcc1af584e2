// Preferences and quiet hours through the real trigger route (triggerWorkflow calls planDelivery
// and holdMessages), the real queue and the Resend stand-in: opt-out, critical bypass, quiet hours.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { BUILT_IN_WORKFLOWS } from "@nexus/contracts";
import { notificationAttempts, notificationMessages } from "@nexus/db/tenant";
import { eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { callAsOperator, json } from "../../../test/helpers.ts";
import {
  callAs,
  emailsTo,
  hhmm,
  notificationsPath,
  notifyCompany,
  waitFor,
} from "../../routes/notification-preferences/fixtures.ts";
import { companyHub } from "../hub.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { holdMessages } from "./hold.ts";

async function setup(name: string) {
  const s = await notifyCompany(name);
  const db = await tenantDatabase(env, s.companyId);
  const put = async (body: unknown) => {
    const response = await callAs(s.member, `${notificationsPath(s.companyId)}/preferences`, {
      method: "PUT",
      body,
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };
  const send = async (workflow: string, key: string) => {
    const sample = BUILT_IN_WORKFLOWS.find((w) => w.key === workflow)?.sample_payload ?? {};
    const response = await callAsOperator(notificationsPath(s.companyId), {
      body: { workflow, to: [{ user_id: s.memberId }], payload: sample },
      headers: { "idempotency-key": key },
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const answer = await json<{ messages: { id: string; channel: string }[] }>(response);
    return Object.fromEntries(answer.messages.map((m) => [m.channel, m.id]));
  };
  const rows = (ids: string[]) =>
    drizzle(db).select().from(notificationMessages).where(inArray(notificationMessages.id, ids));
  const row = async (id: string) => (await rows([id]))[0];
  return { ...s, db, put, send, rows, row };
}

describe("preferences at trigger time", () => {
  it("an opted-out channel ends not_sent with zero provider calls; the others still deliver", async () => {
    const s = await setup("trigger-optout");
    await s.put({ preferences: [{ category: "projects", channel: "email", enabled: false }] });
    const ids = await s.send("project.assigned", "optout-1");
    const inApp = ids.in_app ?? "";
    const email = ids.email ?? "";
    await waitFor(
      () => s.row(inApp),
      (r) => r?.status === "delivered",
      "the in-app delivery",
    );
    expect(await s.row(email)).toMatchObject({ status: "not_sent", statusReason: "opted out", attempts: 0 });
    const attempts = await drizzle(s.db)
      .select()
      .from(notificationAttempts)
      .where(eq(notificationAttempts.messageId, email));
    expect(attempts).toEqual([]);
    expect(await emailsTo(s.memberEmail)).toEqual([]);
  });

  it("a critical workflow delivers through opt-outs and quiet hours", async () => {
    const s = await setup("trigger-critical");
    const now = Date.now();
    await s.put({
      time_zone: "UTC",
      quiet_start: hhmm(now - 3_600_000),
      quiet_end: hhmm(now + 600_000),
      preferences: [{ category: "*", channel: "*", enabled: false }],
    });
    const ids = await s.send("telemetry.alert", "critical-1");
    const email = ids.email ?? "";
    const sent = await waitFor(
      () => s.row(email),
      (r) => r?.status !== "queued",
      "the email",
    );
    expect(sent?.status).toBe("sent");
    expect(sent?.scheduledFor).toBeNull();
    expect(await emailsTo(s.memberEmail)).toHaveLength(1);
  });

  it("quiet hours hold the email in the hub (the inbox gets it at once) until the window ends", async () => {
    const s = await setup("trigger-quiet");
    const now = Date.now();
    await s.put({ time_zone: "UTC", quiet_start: hhmm(now - 3_600_000), quiet_end: hhmm(now + 180_000) });
    const ids = await s.send("project.assigned", "quiet-1");
    const email = ids.email ?? "";
    await waitFor(
      () => s.row(ids.in_app ?? ""),
      (r) => r?.status === "delivered",
      "the in-app delivery",
    );
    const held = await s.row(email);
    expect(held?.status).toBe("queued");
    expect(held?.scheduledFor).toBeGreaterThan(now);
    const hub = companyHub(env, s.companyId);
    expect(await hub.heldNotifications(s.companyId)).toMatchObject({
      held: 1,
      next_release_at: held?.scheduledFor,
    });
    expect(await emailsTo(s.memberEmail)).toEqual([]);

    // The window ends (the clock moved on: the hold comes due and the quiet hours lie behind).
    await s.put({ quiet_start: hhmm(now - 3_600_000), quiet_end: hhmm(now) });
    await drizzle(s.db)
      .update(notificationMessages)
      .set({ scheduledFor: Date.now() - 1 })
      .where(eq(notificationMessages.id, email));
    await holdMessages(env, s.companyId, [{ id: email, until: Date.now() - 1 }]);
    await runDurableObjectAlarm(hub);
    await waitFor(
      () => s.row(email),
      (r) => r?.status === "sent",
      "the released email",
    );
    expect(await emailsTo(s.memberEmail)).toHaveLength(1);
  });
});
