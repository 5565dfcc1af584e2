// Feature flags evaluated for the caller: by role and showroom type for users, and the rule-less
// answer installations get at validate.
import { describe, expect, it } from "vitest";
import {
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { authCallAdmin, company, showroom, userId } from "../projects/fixtures.ts";

describe("feature flags", () => {
  it("are evaluated by role and showroom type for users, and returned to installations at validate", async () => {
    const acme = await registerCompany({ admin_email: "flags@acme.example" });
    const owner = await companyOwner(acme.company_id, "flags@acme.example");
    const installer = await companyMember(owner, acme.company_id, "fit@acme.example", "installer");
    await showroom(acme.company_id, {
      name: "Trade counter",
      type: "trade",
      member_ids: [await userId("fit@acme.example")],
    });
    const put = await callAsOperator(`${company(acme.company_id)}/feature-flags`, {
      method: "PUT",
      body: {
        flags: [
          { key: "trade_pricing", enabled: false, rules: [{ showroom_types: ["trade"], enabled: true }] },
          {
            key: "site_survey_tool",
            enabled: false,
            rules: [{ roles: ["installer", "owner"], enabled: true }],
          },
          { key: "new_quote_editor", enabled: true, rules: [{ roles: ["installer"], enabled: false }] },
        ],
      },
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const mine = async (cookie: string) =>
      (
        await json<{ flags: Record<string, boolean> }>(
          await authCallAdmin(`${company(acme.company_id)}/feature-flags/me`, undefined, cookie, "GET"),
        )
      ).flags;
    expect(await mine(installer)).toEqual({
      trade_pricing: true,
      site_survey_tool: true,
      new_quote_editor: false,
    });
    expect(await mine(owner)).toEqual({
      trade_pricing: false,
      site_survey_tool: true,
      new_quote_editor: true,
    });
    const validated = await validatedMachine(acme.company_code, "crm-pc");
    expect(validated.feature_flags).toEqual({
      trade_pricing: false,
      site_survey_tool: false,
      new_quote_editor: true,
    });
    // Only managers change flags.
    await expectError(
      await authCallAdmin(`${company(acme.company_id)}/feature-flags`, { flags: [] }, installer, "PUT"),
      403,
      "FORBIDDEN",
    );
  });
});
