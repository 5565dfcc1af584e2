import { env } from "cloudflare:workers";
import { COMPANY_ROLES } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { authCall, companyMember, companyOwner } from "../../../test/users.ts";

interface Member {
  id: string;
  email: string;
  role: string;
}

describe("who may give, change and take away which role", () => {
  const ROLES = COMPANY_ROLES;
  // Only these roles have members:manage; the others are refused by the route's permission.
  const manages = (role: string) => role === "owner" || role === "admin";
  const mayHandle = (actor: string, target: string) =>
    manages(actor) && (target !== "owner" || actor === "owner");

  /** A member with `role`, written straight to the database (they never need to sign in). */
  async function seedMember(companyId: string, role: string): Promise<string> {
    const id = crypto.randomUUID();
    await env.CENTRAL_DB.batch([
      env.CENTRAL_DB.prepare("INSERT INTO user (id, name, email) VALUES (?, ?, ?)").bind(
        `u-${id}`,
        role,
        `${id}@target.example`,
      ),
      env.CENTRAL_DB.prepare(
        "INSERT INTO member (id, organization_id, user_id, role, created_at) VALUES (?, ?, ?, ?, ?)",
      ).bind(id, companyId, `u-${id}`, role, Date.now()),
    ]);
    return id;
  }

  /** What a refusal must leave untouched. */
  async function snapshot(companyId: string) {
    const [members, invitations, audit] = await Promise.all([
      env.CENTRAL_DB.prepare("SELECT id, role FROM member WHERE organization_id = ? ORDER BY id")
        .bind(companyId)
        .all(),
      env.CENTRAL_DB.prepare("SELECT id, role, status FROM invitation WHERE organization_id = ? ORDER BY id")
        .bind(companyId)
        .all(),
      env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM audit_logs WHERE company_id = ?")
        .bind(companyId)
        .first(),
    ]);
    return { members: members.results, invitations: invitations.results, audit };
  }

  async function expectRefused(response: Response, companyId: string, before: unknown, why: RegExp) {
    const error = await expectError(response, 403, "FORBIDDEN");
    expect(error.message).toMatch(why);
    expect(await snapshot(companyId)).toEqual(before);
  }

  for (const actorRole of ROLES) {
    it(`as ${actorRole}: change-role, invite, remove and cancel for every built-in role`, async () => {
      const company = await registerCompany({ admin_email: `owner@${actorRole}-acts.example` });
      const owner = await companyOwner(company.company_id, `owner@${actorRole}-acts.example`);
      const actor =
        actorRole === "owner"
          ? owner
          : await companyMember(owner, company.company_id, `${actorRole}@acts.example`, actorRole);
      const base = `/api/admin/companies/${company.company_id}`;
      const why = manages(actorRole) ? /owner/ : /does not allow members:manage/;

      for (const target of ROLES) {
        const allowed = mayHandle(actorRole, target);
        const label = `${actorRole} → ${target}`;

        // Change a member's role to `target`.
        const changed = await seedMember(company.company_id, target === "installer" ? "member" : "installer");
        let before = await snapshot(company.company_id);
        const change = await call(`${base}/members/${changed}`, {
          method: "PATCH",
          headers: { cookie: actor },
          body: { role: target },
        });
        if (allowed) expect(change.status, label).toBe(200);
        else await expectRefused(change, company.company_id, before, why);

        // Invite someone as `target`.
        before = await snapshot(company.company_id);
        const invite = await call(`${base}/invitations`, {
          headers: { cookie: actor },
          body: { email: `${target}-${actorRole}@invited.example`, role: target },
        });
        if (allowed) expect(invite.status, label).toBe(201);
        else await expectRefused(invite, company.company_id, before, why);

        // Remove a member whose role is `target`.
        const removed = await seedMember(company.company_id, target);
        before = await snapshot(company.company_id);
        const remove = await call(`${base}/members/${removed}/remove`, {
          method: "POST",
          headers: { cookie: actor },
        });
        if (allowed) expect(remove.status, label).toBe(200);
        else await expectRefused(remove, company.company_id, before, why);

        // Cancel an invitation (made by an operator) as `target`.
        const { invitation } = await json<{ invitation: { id: string } }>(
          await callAsOperator(`${base}/invitations`, {
            body: { email: `${target}-${actorRole}@cancel.example`, role: target },
          }),
        );
        before = await snapshot(company.company_id);
        const cancel = await call(`${base}/invitations/${invitation.id}/cancel`, {
          method: "POST",
          headers: { cookie: actor },
        });
        if (allowed) expect(cancel.status, label).toBe(200);
        else await expectRefused(cancel, company.company_id, before, why);
      }
    });
  }

  it("keeps an admin from making themselves owner, demoting the owner, or giving a custom role above theirs", async () => {
    const company = await registerCompany({ admin_email: "owner@climb.example" });
    const owner = await companyOwner(company.company_id, "owner@climb.example");
    const admin = await companyMember(owner, company.company_id, "admin@climb.example", "admin");
    const base = `/api/admin/companies/${company.company_id}`;
    const { members } = await json<{ members: Member[] }>(
      await call(`${base}/members`, { headers: { cookie: owner } }),
    );
    const ownerId = members.find((m) => m.role === "owner")?.id;
    const adminId = members.find((m) => m.role === "admin")?.id;
    const before = await snapshot(company.company_id);
    const patch = (id: string | undefined, role: string) =>
      call(`${base}/members/${id}`, { method: "PATCH", headers: { cookie: admin }, body: { role } });

    await expectRefused(await patch(adminId, "owner"), company.company_id, before, /Only an owner/);
    await expectRefused(await patch(ownerId, "member"), company.company_id, before, /Only an owner/);
    await expectRefused(
      await call(`${base}/members/${ownerId}/remove`, { method: "POST", headers: { cookie: admin } }),
      company.company_id,
      before,
      /Only an owner/,
    );
    // better-auth's own organization endpoints (the other door to the same rows) refuse too.
    for (const [path, requestBody] of [
      ["/organization/update-member-role", { memberId: adminId, role: "owner" }],
      ["/organization/update-member-role", { memberId: ownerId, role: "member" }],
      ["/organization/invite-member", { email: "boss@climb.example", role: "owner" }],
    ] as const) {
      const response = await authCall(path, {
        body: { ...requestBody, organizationId: company.company_id },
        cookie: admin,
      });
      expect(response.status, path).toBe(403);
    }
    expect(await snapshot(company.company_id)).toEqual(before);
    // API keys follow the permission table: admins have api_keys:read only.
    await expectError(
      await call(`${base}/api-keys`, {
        headers: { cookie: admin },
        body: { name: "mine", permissions: { installations: ["read"] } },
      }),
      403,
      "FORBIDDEN",
    );

    // Custom roles: one with a permission the admin lacks cannot be given by them; a narrower one can.
    for (const [role, permission] of [
      ["key_master", { api_keys: ["manage"] }],
      ["viewer", { audit_log: ["read"], installations: ["read"] }],
    ] as const) {
      const created = await authCall("/organization/create-role", {
        body: { organizationId: company.company_id, role, permission },
        cookie: owner,
      });
      expect(created.status, await created.clone().text()).toBe(200);
    }
    const hire = await seedMember(company.company_id, "member");
    const afterRoles = await snapshot(company.company_id);
    const refused = await expectError(await patch(hire, "key_master"), 403, "FORBIDDEN");
    expect(refused.message).toContain("api_keys:manage");
    expect(await snapshot(company.company_id)).toEqual(afterRoles);
    expect((await patch(hire, "viewer")).status).toBe(200);

    // The owner can hand ownership over; an operator can do anything.
    expect((await patch(adminId, "admin")).status).toBe(200);
    const promoted = await call(`${base}/members/${adminId}`, {
      method: "PATCH",
      headers: { cookie: owner },
      body: { role: "owner" },
    });
    expect(promoted.status).toBe(200);
    const byOperator = await callAsOperator(`${base}/members/${hire}`, {
      method: "PATCH",
      body: { role: "owner" },
    });
    expect(byOperator.status).toBe(200);
  });
});
