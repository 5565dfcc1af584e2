import { describe, expect, it } from "vitest";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";

interface InvitationList {
  invitations: { email: string; role: string; status: string }[];
}

describe("listing a company's invitations", () => {
  it("shows its own invitations newest first, and no other company's", async () => {
    const company = await registerCompany({ admin_email: "owner@list-invites.example" });
    const other = await registerCompany({ admin_email: "owner@other-invites.example" });
    const invite = (companyId: string, email: string, role: string) =>
      callAsOperator(`/api/admin/companies/${companyId}/invitations`, { body: { email, role } });
    expect((await invite(company.company_id, "first@list-invites.example", "member")).status).toBe(201);
    expect((await invite(company.company_id, "second@list-invites.example", "admin")).status).toBe(201);
    expect((await invite(other.company_id, "elsewhere@other-invites.example", "member")).status).toBe(201);

    const listed = await json<InvitationList>(
      await callAsOperator(`/api/admin/companies/${company.company_id}/invitations`),
    );
    // Registration invited the owner first.
    expect(listed.invitations.map((i) => [i.email, i.role, i.status])).toEqual([
      ["second@list-invites.example", "admin", "pending"],
      ["first@list-invites.example", "member", "pending"],
      ["owner@list-invites.example", "owner", "pending"],
    ]);
  });
});
