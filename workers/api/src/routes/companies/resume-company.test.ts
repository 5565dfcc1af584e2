import type { Company } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validateMachine,
} from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";

describe("operator: resuming companies", () => {
  it("lets a suspended company's installations in again; its owner cannot resume it", async () => {
    const company = await registerCompany({ admin_email: "owner@resume.example" });
    const owner = await companyOwner(company.company_id, "owner@resume.example");
    const base = `/api/admin/companies/${company.company_id}`;
    await callAsOperator(`${base}/suspend`, { body: { reason: "unpaid" } });
    await expectError(await validateMachine(company.company_code, "m-1"), 403, "COMPANY_SUSPENDED");

    await expectError(
      await call(`${base}/resume`, { method: "POST", headers: { cookie: owner } }),
      403,
      "FORBIDDEN",
    );
    await expectError(await validateMachine(company.company_code, "m-1"), 403, "COMPANY_SUSPENDED");

    const resumed = await json<{ company: Company }>(
      await callAsOperator(`${base}/resume`, { method: "POST" }),
    );
    expect(resumed.company).toMatchObject({ suspended: false, suspended_reason: null });
    expect((await validateMachine(company.company_code, "m-1")).status).toBe(200);
    await expectError(
      await callAsOperator("/api/admin/companies/no-such-company/resume", { method: "POST" }),
      404,
      "COMPANY_NOT_FOUND",
    );
  });
});
