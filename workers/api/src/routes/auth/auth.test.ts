import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import {
  authCall,
  companyMember,
  companyOwner,
  cookieOf,
  operatorSession,
  PASSWORD,
  signIn,
  signUp,
} from "../../../test/users.ts";

const outbox = (to: string) =>
  env.CENTRAL_DB.prepare('SELECT subject, text FROM mail_outbox WHERE "to" = ? ORDER BY id')
    .bind(to)
    .all<{ subject: string; text: string }>()
    .then((result) => result.results);

describe("dashboard users (better-auth on the central D1)", () => {
  it("signs up with a verification mail, signs in, and refuses a wrong password", async () => {
    await signUp("ada@example.com", "Ada");
    expect((await outbox("ada@example.com")).map((mail) => mail.subject)).toEqual([
      "Confirm your email address for Nexus Central",
    ]);
    const cookie = await signIn("ada@example.com");
    expect(cookie).toContain("better-auth.session_token=");
    const session = await json<{ user: { email: string } }>(await authCall("/get-session", { cookie }));
    expect(session.user.email).toBe("ada@example.com");
    const wrong = await authCall("/sign-in/email", {
      body: { email: "ada@example.com", password: "wrong password!" },
    });
    expect(wrong.status).toBe(401);
  });

  it("rate-limits sign-in attempts", async () => {
    await signUp("bob@example.com");
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await authCall("/sign-in/email", {
        body: { email: "bob@example.com", password: `guess-number-${i}` },
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 5).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });

  it("resets a forgotten password through the mailed link", async () => {
    await signUp("carol@example.com");
    const asked = await authCall("/request-password-reset", {
      body: { email: "carol@example.com", redirectTo: "http://nexus.test/reset" },
    });
    expect(asked.status, await asked.clone().text()).toBe(200);
    const mail = (await outbox("carol@example.com")).find((m) => m.subject.includes("Reset"));
    const token = /reset-password\/([^?\s]+)/.exec(mail?.text ?? "")?.[1];
    expect(token, mail?.text).toBeDefined();
    const reset = await authCall("/reset-password", { body: { token, newPassword: "a brand new password" } });
    expect(reset.status, await reset.clone().text()).toBe(200);
    expect(
      (await authCall("/sign-in/email", { body: { email: "carol@example.com", password: PASSWORD } })).status,
    ).toBe(401);
    await signIn("carol@example.com", "a brand new password");
  });

  it("makes the registering admin the company's owner through an invitation", async () => {
    const company = await registerCompany({ admin_email: "Owner@Example.com" });
    const mail = await outbox("owner@example.com");
    expect(mail.map((m) => m.subject)).toEqual([
      `You are invited to ${company.company_name} on Nexus Central`,
    ]);
    const cookie = await companyOwner(company.company_id, "owner@example.com");
    const members = await json<{ members: { role: string; user: { email: string } }[] }>(
      await authCall(`/organization/list-members?organizationId=${company.company_id}`, { cookie }),
    );
    expect(members.members.map((m) => [m.user.email, m.role])).toEqual([["owner@example.com", "owner"]]);
    // Someone else cannot take the owner's invitation.
    const company2 = await registerCompany({ admin_email: "boss@example.com" });
    const intruder = await signUp("intruder@example.com");
    const row = await env.CENTRAL_DB.prepare("SELECT id FROM invitation WHERE organization_id = ?")
      .bind(company2.company_id)
      .first<{ id: string }>();
    const stolen = await authCall("/organization/accept-invitation", {
      body: { invitationId: row?.id },
      cookie: intruder,
    });
    expect(stolen.status).toBeGreaterThanOrEqual(400);
    expect(stolen.status).toBeLessThan(500);
  });

  it("changes a member's role, and the new role's permissions apply at once", async () => {
    const company = await registerCompany({ admin_email: "owner2@example.com" });
    const owner = await companyOwner(company.company_id, "owner2@example.com");
    const memberCookie = await companyMember(owner, company.company_id, "dave@example.com", "member");
    const path = `/api/admin/companies/${company.company_id}/audit-log`;
    await expectError(await call(path, { headers: { cookie: memberCookie } }), 403, "FORBIDDEN");
    const members = await json<{ members: { id: string; user: { email: string } }[] }>(
      await authCall(`/organization/list-members?organizationId=${company.company_id}`, { cookie: owner }),
    );
    const dave = members.members.find((m) => m.user.email === "dave@example.com");
    const changed = await authCall("/organization/update-member-role", {
      body: { memberId: dave?.id, role: "admin", organizationId: company.company_id },
      cookie: owner,
    });
    expect(changed.status, await changed.clone().text()).toBe(200);
    expect((await call(path, { headers: { cookie: memberCookie } })).status).toBe(200);
  });

  it("creates platform operators with the operator secret, who then sign in and act as operators", async () => {
    const cookie = await operatorSession("ops@example.com");
    const listed = await json<{ operators: { email: string }[] }>(
      await call("/api/admin/operators", { headers: { cookie } }),
    );
    expect(listed.operators.map((o) => o.email)).toEqual(["ops@example.com"]);
    expect((await call("/api/admin/tenant-pool", { headers: { cookie } })).status).toBe(200);
    const again = await call("/api/admin/operators", {
      headers: { cookie },
      body: { email: "ops@example.com", name: "x", password: PASSWORD },
    });
    await expectError(again, 409, "USER_EXISTS");
    // A session cookie that was never issued is nobody.
    await expectError(
      await call("/api/admin/tenant-pool", { headers: { cookie: "better-auth.session_token=forged.value" } }),
      401,
      "UNAUTHORIZED",
    );
    expect(cookieOf(await authCall("/sign-out", { body: {}, cookie }))).toContain(
      "better-auth.session_token=",
    );
  });
});

describe("the mail outbox", () => {
  it("shows operators the mail the API sent, newest first, filtered by recipient", async () => {
    await signUp("erin@example.com");
    await signUp("frank@example.com");
    const all = await json<{ mail: { to: string; subject: string }[] }>(
      await callAsOperator("/api/admin/mail-outbox"),
    );
    expect(all.mail.map((m) => m.to)).toEqual(["frank@example.com", "erin@example.com"]);
    const erin = await json<{ mail: { to: string; text: string }[] }>(
      await callAsOperator("/api/admin/mail-outbox?to=Erin@Example.com"),
    );
    expect(erin.mail).toHaveLength(1);
    expect(erin.mail[0]?.text).toContain("/api/auth/verify-email?token=");
  });
});
