import { env } from "cloudflare:workers";
import { base64Url, fromBase64Url } from "@nexus/security";
import { describe, expect, it } from "vitest";
import { call, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { unsubscribeToken, unsubscribeUrl } from "../../services/notifications/unsubscribe.ts";
import { callAs, notificationsPath, notifyCompany } from "./fixtures.ts";

/** The token with its payload rewritten (the signature kept): what a tamperer can do. */
function tampered(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [payload = "", ...signature] = token.split(".");
  const decoded = JSON.parse(new TextDecoder().decode(fromBase64Url(payload))) as Record<string, unknown>;
  change(decoded);
  return `${base64Url(new TextEncoder().encode(JSON.stringify(decoded)))}.${signature.join(".")}`;
}

const page = (token: string) => call(`/api/notifications/unsubscribe?token=${encodeURIComponent(token)}`);

describe("GET /api/notifications/unsubscribe", () => {
  it("shows what the link stops, with a button posting back, and changes nothing by itself", async () => {
    const s = await notifyCompany("unsub-show", { member: false });
    const url = await unsubscribeUrl(env, s.companyId, `user:${s.ownerId}`, "projects", "email");
    expect(url.startsWith("http://nexus.test/api/notifications/unsubscribe?token=")).toBe(true);
    const response = await call(url.slice("http://nexus.test".length));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("content-security-policy")).toContain("form-action 'self'");
    const html = await response.text();
    expect(html).toContain("“projects” emails");
    expect(html).toMatch(/<form method="post" action="\?token=[^"]+">/);
    // Mail scanners open links: the GET alone opts nobody out.
    const prefs = await json<{ preferences: unknown[] }>(
      await callAs(s.owner, `${notificationsPath(s.companyId)}/preferences`),
    );
    expect(prefs.preferences).toEqual([]);
  });

  it("refuses a tampered, expired, re-addressed or malformed token with 403 UNSUBSCRIBE_LINK_INVALID", async () => {
    const { company_id: companyId } = await registerCompany({ admin_email: "own@unsub-bad.example" });
    const other = await registerCompany({ admin_email: "own@unsub-bad-2.example" });
    const target = { companyId, recipientKey: "user:u1", category: "projects", channel: "email" };
    const token = await unsubscribeToken(env, target);
    expect((await page(token)).status).toBe(200);
    const bad = [
      tampered(token, (p) => {
        p.k = "*";
      }),
      tampered(token, (p) => {
        p.r = "user:someone-else";
      }),
      tampered(token, (p) => {
        p.c = other.company_id;
      }),
      tampered(token, (p) => {
        p.e = Number(p.e) + 3600;
      }),
      await unsubscribeToken(env, target, Date.now() - 1000),
      `${token.slice(0, -2)}AA`,
      token.split(".")[0] ?? "",
      "not-a-token",
      "e30.v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ];
    for (const forged of bad) await expectError(await page(forged), 403, "UNSUBSCRIBE_LINK_INVALID");
  });
});
