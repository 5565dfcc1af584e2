import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { acceptInvitation, authCall, companyOwner, signUp } from "../../../test/users.ts";

interface Member {
  id: string;
  email: string;
  role: string;
}

describe("company members and invitations", () => {
  it("invites by email, lists members, changes roles and removes people, keeping one owner", async () => {
    const company = await registerCompany({ admin_email: "owner@team.example" });
    const owner = await companyOwner(company.company_id, "owner@team.example");
    const base = `/api/admin/companies/${company.company_id}`;
    const invited = await call(`${base}/invitations`, {
      headers: { cookie: owner },
      body: { email: "New.Hire@team.example", role: "admin" },
    });
    expect(invited.status, await invited.clone().text()).toBe(201);
    const { invitation } = await json<{ invitation: { id: string; email: string; status: string } }>(invited);
    expect(invitation).toMatchObject({ email: "new.hire@team.example", status: "pending" });
    const mail = await json<{ mail: { subject: string; text: string }[] }>(
      await callAsOperator("/api/admin/mail-outbox?to=new.hire@team.example"),
    );
    expect(mail.mail[0]?.text).toContain(`Invitation id: ${invitation.id}`);
    expect(mail.mail[0]?.text).toContain("owner@team.example invited you");

    const hire = await signUp("new.hire@team.example");
    await acceptInvitation(hire, invitation.id);
    const members = await json<{ members: Member[] }>(
      await call(`${base}/members`, { headers: { cookie: owner } }),
    );
    expect(members.members.map((m) => [m.email, m.role])).toEqual([
      ["owner@team.example", "owner"],
      ["new.hire@team.example", "admin"],
    ]);
    const [ownerMember, hireMember] = members.members;

    // The only owner cannot step down or leave.
    await expectError(
      await call(`${base}/members/${ownerMember?.id}`, {
        method: "PATCH",
        headers: { cookie: owner },
        body: { role: "member" },
      }),
      409,
      "LAST_OWNER",
    );
    await expectError(
      await call(`${base}/members/${ownerMember?.id}/remove`, { method: "POST", headers: { cookie: owner } }),
      409,
      "LAST_OWNER",
    );
    await expectError(
      await call(`${base}/members/${hireMember?.id}`, {
        method: "PATCH",
        headers: { cookie: owner },
        body: { role: "wizard" },
      }),
      400,
      "VALIDATION_FAILED",
    );
    // A custom role is a valid role.
    await authCall("/organization/create-role", {
      body: { organizationId: company.company_id, role: "auditor", permission: { audit_log: ["read"] } },
      cookie: owner,
    });
    const changed = await call(`${base}/members/${hireMember?.id}`, {
      method: "PATCH",
      headers: { cookie: owner },
      body: { role: "auditor" },
    });
    expect((await json<{ member: Member }>(changed)).member.role).toBe("auditor");
    expect((await call(`${base}/audit-log`, { headers: { cookie: hire } })).status).toBe(200);
    await expectError(await call(`${base}/members`, { headers: { cookie: hire } }), 403, "FORBIDDEN");

    const removed = await call(`${base}/members/${hireMember?.id}/remove`, {
      method: "POST",
      headers: { cookie: owner },
    });
    expect(removed.status).toBe(200);
    await expectError(
      await call(`${base}/audit-log`, { headers: { cookie: hire } }),
      404,
      "COMPANY_NOT_FOUND",
    );
  });
});
