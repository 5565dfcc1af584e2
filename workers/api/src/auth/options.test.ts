// better-auth as the API configures it, seen from the dashboard: the links it mails open the
// dashboard (DASHBOARD_ORIGINS), and a password-reset redirect is accepted for the dashboard's
// origin only (trustedOrigins), never for another site.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminToken, BASE_URL, callWithEnv, json } from "../../test/helpers.ts";
import { companyOwner, PASSWORD, signIn, signUp } from "../../test/users.ts";

const DASHBOARD = "http://dashboard.test";
const withDashboard: Partial<Env> = { DASHBOARD_ORIGINS: `${DASHBOARD}, http://localhost:8788` };

const outbox = (to: string) =>
  env.CENTRAL_DB.prepare('SELECT subject, text FROM mail_outbox WHERE "to" = ? ORDER BY id')
    .bind(to)
    .all<{ subject: string; text: string }>()
    .then((result) => result.results);

const linkIn = (text: string | undefined) => /https?:\/\/\S+/.exec(text ?? "")?.[0];

/** better-auth's endpoints as the dashboard's page calls them (its own origin). */
const fromDashboard = (path: string, body: unknown, overrides: Partial<Env> = withDashboard) =>
  callWithEnv(overrides, `/api/auth${path}`, { body, headers: { origin: DASHBOARD } });

describe("invitation mail", () => {
  it("links the registration's owner invitation to the dashboard's invitation page", async () => {
    const registered = await callWithEnv(withDashboard, "/api/company/register", {
      token: adminToken(),
      body: { company_name: "Linked Co", admin_email: "owner@linked.example" },
    });
    expect(registered.status, await registered.clone().text()).toBe(201);
    const [mail] = await outbox("owner@linked.example");
    const id = /Invitation id: (\S+)/.exec(mail?.text ?? "")?.[1];
    expect(linkIn(mail?.text)).toBe(`${DASHBOARD}/invitations/${id}`);
  });

  it("links invitations sent from the members route", async () => {
    const company = await json<{ company_id: string }>(
      await callWithEnv(withDashboard, "/api/company/register", {
        token: adminToken(),
        body: { company_name: "Team Co", admin_email: "boss@team.example" },
      }),
    );
    const owner = await companyOwner(company.company_id, "boss@team.example");
    const invited = await callWithEnv(
      withDashboard,
      `/api/admin/companies/${company.company_id}/invitations`,
      {
        headers: { cookie: owner },
        body: { email: "hire@team.example", role: "member" },
      },
    );
    expect(invited.status, await invited.clone().text()).toBe(201);
    const { invitation } = await json<{ invitation: { id: string } }>(invited);
    const [mail] = await outbox("hire@team.example");
    expect(mail?.text).toContain("boss@team.example invited you to join Team Co as member.");
    expect(linkIn(mail?.text)).toBe(`${DASHBOARD}/invitations/${invitation.id}`);
  });
});

describe("password reset from the dashboard", () => {
  it("mails a link that sends the browser to the dashboard's reset page with a one-time token", async () => {
    await signUp("reset@example.com");
    const asked = await fromDashboard("/request-password-reset", {
      email: "reset@example.com",
      redirectTo: `${DASHBOARD}/reset-password`,
    });
    expect(asked.status, await asked.clone().text()).toBe(200);
    const mail = (await outbox("reset@example.com")).find((m) => m.subject.startsWith("Reset"));
    const link = linkIn(mail?.text);
    expect(link).toMatch(
      new RegExp(
        `^${BASE_URL}/api/auth/reset-password/\\w+\\?callbackURL=${encodeURIComponent(`${DASHBOARD}/reset-password`)}$`,
      ),
    );
    const path = (link ?? "").slice(BASE_URL.length);

    // The API checks the token and redirects to the dashboard's page with it.
    const opened = await callWithEnv(withDashboard, path);
    expect(opened.status).toBe(302);
    const landing = new URL(opened.headers.get("location") ?? "");
    expect(landing.origin + landing.pathname).toBe(`${DASHBOARD}/reset-password`);
    const token = landing.searchParams.get("token");
    expect(token).toBeTruthy();

    const reset = await fromDashboard("/reset-password", { token, newPassword: "a fresh long password" });
    expect(reset.status, await reset.clone().text()).toBe(200);
    await signIn("reset@example.com", "a fresh long password");

    // Used once: the same link now lands on the page with the error, and the token is refused.
    const again = await callWithEnv(withDashboard, path);
    expect(new URL(again.headers.get("location") ?? "").searchParams.get("error")).toBe("INVALID_TOKEN");
    const reused = await fromDashboard("/reset-password", { token, newPassword: PASSWORD });
    expect(reused.status).toBe(400);
    expect(await json<{ code: string }>(reused)).toMatchObject({ code: "INVALID_TOKEN" });
  });

  it("refuses to redirect anywhere but a trusted dashboard origin", async () => {
    await signUp("victim@example.com");
    const elsewhere = await fromDashboard("/request-password-reset", {
      email: "victim@example.com",
      redirectTo: "https://attacker.example/reset-password",
    });
    expect(elsewhere.status).toBe(403);
    expect(await json<{ code: string }>(elsewhere)).toMatchObject({ code: "INVALID_REDIRECT_URL" });
    // Without DASHBOARD_ORIGINS the dashboard is not trusted either.
    const unconfigured = await fromDashboard(
      "/request-password-reset",
      { email: "victim@example.com", redirectTo: `${DASHBOARD}/reset-password` },
      { DASHBOARD_ORIGINS: "" },
    );
    expect(unconfigured.status).toBe(403);
    expect((await outbox("victim@example.com")).filter((m) => m.subject.startsWith("Reset"))).toEqual([]);
  });
});
