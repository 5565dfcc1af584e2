import { defaultRateLimits, SubscriptionTierSchema } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";

interface Table {
  tiers: Record<string, Record<string, { limit: number; window_seconds: number }>>;
  anonymous: Record<string, unknown>;
}

describe("listing rate limits", () => {
  it("shows every tier's effective limits and the anonymous ones, to operators only", async () => {
    const table = await json<Table>(await callAsOperator("/api/admin/rate-limits"));
    expect(Object.keys(table.tiers).sort()).toEqual([...SubscriptionTierSchema.options].sort());
    expect(table.anonymous).toEqual(defaultRateLimits);

    await expectError(await call("/api/admin/rate-limits"), 401, "UNAUTHORIZED");
    const company = await registerCompany({ admin_email: "owner@limits-list.example" });
    const owner = await companyOwner(company.company_id, "owner@limits-list.example");
    await expectError(await call("/api/admin/rate-limits", { headers: { cookie: owner } }), 403, "FORBIDDEN");
  });
});
