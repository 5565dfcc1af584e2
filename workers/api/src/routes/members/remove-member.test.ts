import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

interface Member {
  id: string;
  email: string;
  role: string;
}

describe("removing a member", () => {
  it("takes their access away at once and records it; a member without members:manage cannot remove anyone", async () => {
    const company = await registerCompany({ admin_email: "owner@remove.example" });
    const owner = await companyOwner(company.company_id, "owner@remove.example");
    const member = await companyMember(owner, company.company_id, "member@remove.example", "member");
    const base = `/api/admin/companies/${company.company_id}`;
    const { members } = await json<{ members: Member[] }>(
      await call(`${base}/members`, { headers: { cookie: owner } }),
    );
    const ownerId = members.find((m) => m.role === "owner")?.id;
    const memberId = members.find((m) => m.role === "member")?.id;

    await expectError(
      await call(`${base}/members/${ownerId}/remove`, { method: "POST", headers: { cookie: member } }),
      403,
      "FORBIDDEN",
    );
    const removed = await call(`${base}/members/${memberId}/remove`, {
      method: "POST",
      headers: { cookie: owner },
    });
    expect((await json<{ member: Member }>(removed)).member).toMatchObject({
      id: memberId,
      email: "member@remove.example",
    });
    await expectError(
      await call(`${base}/installations`, { headers: { cookie: member } }),
      404,
      "COMPANY_NOT_FOUND",
    );
    await expectError(
      await call(`${base}/members/${memberId}/remove`, { method: "POST", headers: { cookie: owner } }),
      404,
      "NOT_FOUND",
    );
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT target_id FROM audit_logs WHERE action = 'member.removed'",
    ).all();
    expect(audit.results).toEqual([{ target_id: memberId }]);
  });
});
