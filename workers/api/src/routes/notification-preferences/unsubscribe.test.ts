import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, json } from "../../../test/helpers.ts";
import { planDelivery } from "../../services/notifications/plan.ts";
import { unsubscribeToken, unsubscribeUrl } from "../../services/notifications/unsubscribe.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";
import { callAs, notificationsPath, notifyCompany } from "./fixtures.ts";

/** What a mail provider sends for RFC 8058 one-click: a form post, no cookie. */
const oneClick = (path: string) =>
  call(path, {
    method: "POST",
    body: "List-Unsubscribe=One-Click",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

describe("POST /api/notifications/unsubscribe (one-click)", () => {
  it("opts the link's recipient out of its category on its channel, without signing in, and only that", async () => {
    const s = await notifyCompany("unsub-post", { member: false });
    const recipientKey = `user:${s.ownerId}`;
    const url = await unsubscribeUrl(env, s.companyId, recipientKey, "projects", "email");
    const path = url.slice("http://nexus.test".length);
    const response = await oneClick(path);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.text()).toContain("You will no longer get “projects” emails");
    // Twice is harmless (mail clients retry).
    expect((await oneClick(path)).status).toBe(200);

    const prefs = await json<{ preferences: unknown[] }>(
      await callAs(s.owner, `${notificationsPath(s.companyId)}/preferences`),
    );
    expect(prefs.preferences).toEqual([{ category: "projects", channel: "email", enabled: false }]);
    const db = await tenantDatabase(env, s.companyId);
    const plan = (channel: string, category = "projects", critical = false) =>
      planDelivery(db, { recipientKey, channel, category, critical, digestMinutes: null, now: Date.now() });
    expect(await plan("email")).toEqual({ action: "skip", reason: "opted out" });
    expect(await plan("push")).toEqual({ action: "send" });
    expect(await plan("email", "billing")).toEqual({ action: "send" });
    expect(await plan("email", "projects", true)).toEqual({ action: "send" });
  });

  it("refuses a forged or expired token and stores nothing", async () => {
    const s = await notifyCompany("unsub-post-bad", { member: false });
    const target = { companyId: s.companyId, recipientKey: `user:${s.ownerId}`, category: "*", channel: "*" };
    const expired = await unsubscribeToken(env, target, Date.now() - 1);
    await expectError(
      await oneClick(`/api/notifications/unsubscribe?token=${encodeURIComponent(expired)}`),
      403,
      "UNSUBSCRIBE_LINK_INVALID",
    );
    const genuine = await unsubscribeToken(env, target);
    const forged = `${genuine.slice(0, 4)}${genuine[4] === "A" ? "B" : "A"}${genuine.slice(5)}`;
    await expectError(
      await oneClick(`/api/notifications/unsubscribe?token=${encodeURIComponent(forged)}`),
      403,
      "UNSUBSCRIBE_LINK_INVALID",
    );
    const prefs = await json<{ preferences: unknown[] }>(
      await callAs(s.owner, `${notificationsPath(s.companyId)}/preferences`),
    );
    expect(prefs.preferences).toEqual([]);
  });
});
