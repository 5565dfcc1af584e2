import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner, PASSWORD } from "../../../test/users.ts";

describe("listing operators", () => {
  it("shows the operators, oldest first, and not the company users", async () => {
    const company = await registerCompany({ admin_email: "owner@ops-list.example" });
    const owner = await companyOwner(company.company_id, "owner@ops-list.example");
    for (const email of ["first@ops.example", "second@ops.example"]) {
      await callAsOperator("/api/admin/operators", { body: { email, name: "Op", password: PASSWORD } });
    }
    const listed = await json<{ operators: { email: string }[] }>(
      await callAsOperator("/api/admin/operators"),
    );
    expect(listed.operators.map((operator) => operator.email)).toEqual([
      "first@ops.example",
      "second@ops.example",
    ]);
    await expectError(await call("/api/admin/operators", { headers: { cookie: owner } }), 403, "FORBIDDEN");
  });
});
