import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

interface MemberList {
  members: { user_id: string; email: string; role: string }[];
}

describe("listing a company's members", () => {
  it("shows its own members oldest first, to members who may read them, and no other company's", async () => {
    const company = await registerCompany({ admin_email: "owner@list-members.example" });
    const other = await registerCompany({ admin_email: "owner@other-members.example" });
    const owner = await companyOwner(company.company_id, "owner@list-members.example");
    const installer = await companyMember(
      owner,
      company.company_id,
      "installer@list-members.example",
      "installer",
    );
    const outsider = await companyOwner(other.company_id, "owner@other-members.example");
    const path = `/api/admin/companies/${company.company_id}/members`;

    const listed = await json<MemberList>(await callAsOperator(path));
    expect(listed.members.map((m) => [m.email, m.role])).toEqual([
      ["owner@list-members.example", "owner"],
      ["installer@list-members.example", "installer"],
    ]);
    expect((await call(path, { headers: { cookie: owner } })).status).toBe(200);
    // Installers lack members:read; another company's owner is not a member here at all.
    await expectError(await call(path, { headers: { cookie: installer } }), 403, "FORBIDDEN");
    await expectError(await call(path, { headers: { cookie: outsider } }), 404, "COMPANY_NOT_FOUND");
  });
});
