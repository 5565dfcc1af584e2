// Replacing the company's feature flags: the new set replaces the old one whole, and keys are unique.
import type { FeatureFlag } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { company } from "../projects/fixtures.ts";

describe("replacing feature flags", () => {
  it("drops the flags left out, and refuses a key given twice", async () => {
    const acme = await registerCompany();
    const path = `${company(acme.company_id)}/feature-flags`;
    const put = (flags: unknown[]) => callAsOperator(path, { method: "PUT", body: { flags } });
    await put([
      { key: "trade_pricing", enabled: false },
      { key: "site_survey_tool", enabled: true },
    ]);
    const replaced = await json<{ flags: FeatureFlag[] }>(
      await put([{ key: "site_survey_tool", enabled: false, description: "Surveyors only" }]),
    );
    expect(replaced.flags).toEqual([
      { key: "site_survey_tool", description: "Surveyors only", enabled: false, rules: [] },
    ]);
    await expectError(
      await put([
        { key: "twice", enabled: true },
        { key: "twice", enabled: false },
      ]),
      400,
      "VALIDATION_FAILED",
    );
    const kept = await json<{ flags: FeatureFlag[] }>(await callAsOperator(path));
    expect(kept.flags.map((flag) => flag.key)).toEqual(["site_survey_tool"]);
  });
});
