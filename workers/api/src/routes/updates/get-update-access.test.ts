import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

describe("reading a company's update access", () => {
  it("shows its channels and pin to operators and its members, and nothing to other companies", async () => {
    const company = await registerCompany({ admin_email: "owner@access.example" });
    const other = await registerCompany({ admin_email: "owner@access-other.example" });
    const path = `/api/admin/companies/${company.company_id}/update-access`;
    await callAsOperator(path, { method: "PUT", body: { channels: ["beta"], pinned_version: "1.0.0" } });

    expect(await json(await callAsOperator(path))).toEqual({
      success: true,
      update_channel: "stable",
      channels: ["stable", "beta"],
      pinned_version: "1.0.0",
    });
    const owner = await companyOwner(company.company_id, "owner@access.example");
    const member = await companyMember(owner, company.company_id, "member@access.example");
    expect(await json(await call(path, { headers: { cookie: member } }))).toMatchObject({
      channels: ["stable", "beta"],
    });
    const stranger = await companyOwner(other.company_id, "owner@access-other.example");
    await expectError(await call(path, { headers: { cookie: stranger } }), 404, "COMPANY_NOT_FOUND");
    // Members may read it but only operators may change it.
    await expectError(
      await call(path, { method: "PUT", headers: { cookie: owner }, body: { pinned_version: null } }),
      403,
      "FORBIDDEN",
    );
    await expectError(await call(path), 401, "UNAUTHORIZED");
  });
});
