import type { Company } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";

const admin = callAsOperator;

describe("operator: getting a company", () => {
  it("gets a company with its seat usage, and 404 for an unknown id", async () => {
    const company = await registerCompany();
    await validatedMachine(company.company_code, "m-1");
    const body = await json<{ company: Company }>(await admin(`/api/admin/companies/${company.company_id}`));
    expect(body.company).toMatchObject({
      id: company.company_id,
      company_code: company.company_code,
      active_installations: 1,
      max_installations: 5,
      database_provider: "d1",
      suspended: false,
    });
    await expectError(await admin("/api/admin/companies/does-not-exist"), 404, "COMPANY_NOT_FOUND");
  });
});
