// Listing the company's feature flags with their rules, as a reader (not only a manager) may.
import type { FeatureFlag } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { authCallAdmin, company } from "../projects/fixtures.ts";

describe("listing feature flags", () => {
  it("starts empty, then lists the flags by key with their defaults filled in", async () => {
    const acme = await registerCompany({ admin_email: "owner@list-flags.example" });
    const owner = await companyOwner(acme.company_id, "owner@list-flags.example");
    const installer = await companyMember(owner, acme.company_id, "fit@list-flags.example", "installer");
    const path = `${company(acme.company_id)}/feature-flags`;
    const list = async () =>
      (await json<{ flags: FeatureFlag[] }>(await authCallAdmin(path, undefined, installer, "GET"))).flags;
    expect(await list()).toEqual([]);
    await callAsOperator(path, {
      method: "PUT",
      body: {
        flags: [
          { key: "zeta", enabled: true },
          { key: "alpha", enabled: false, rules: [{ enabled: true }] },
        ],
      },
    });
    expect(await list()).toEqual([
      { key: "alpha", description: "", enabled: false, rules: [{ enabled: true }] },
      { key: "zeta", description: "", enabled: true, rules: [] },
    ]);
  });
});
