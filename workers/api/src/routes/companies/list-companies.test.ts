import type { Company } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";

const admin = callAsOperator;

describe("operator: listing companies", () => {
  it("lists companies newest first, with search and cursor pagination", async () => {
    const names = ["Alpha Metals", "Beta Foods", "Gamma Metals"];
    for (const name of names) await registerCompany({ company_name: name });
    const all = await json<{ companies: Company[]; next_cursor: string | null }>(
      await admin("/api/admin/companies"),
    );
    expect(all.companies.map((c) => c.company_name)).toEqual(["Gamma Metals", "Beta Foods", "Alpha Metals"]);
    expect(all.next_cursor).toBeNull();

    const metals = await json<{ companies: Company[] }>(await admin("/api/admin/companies?q=metals"));
    expect(metals.companies.map((c) => c.company_name)).toEqual(["Gamma Metals", "Alpha Metals"]);

    const page1 = await json<{ companies: Company[]; next_cursor: string }>(
      await admin("/api/admin/companies?limit=2"),
    );
    expect(page1.companies).toHaveLength(2);
    const page2 = await json<{ companies: Company[]; next_cursor: string | null }>(
      await admin(`/api/admin/companies?limit=2&cursor=${page1.next_cursor}`),
    );
    expect(page2.companies.map((c) => c.company_name)).toEqual(["Alpha Metals"]);
    expect(page2.next_cursor).toBeNull();
  });

  it("filters by tier and by suspension", async () => {
    const [plain, premium, suspended] = [
      await registerCompany({ company_name: "Plain Filter Co" }),
      await registerCompany({ company_name: "Premium Filter Co" }),
      await registerCompany({ company_name: "Suspended Filter Co" }),
    ];
    await admin(`/api/admin/companies/${premium.company_id}`, {
      method: "PATCH",
      body: { subscription_tier: "enterprise" },
    });
    await admin(`/api/admin/companies/${suspended.company_id}/suspend`, { method: "POST", body: {} });
    const names = async (query: string) =>
      (
        await json<{ companies: Company[] }>(await admin(`/api/admin/companies?q=filter co&${query}`))
      ).companies.map((company) => company.company_name);
    expect(await names("tier=enterprise")).toEqual(["Premium Filter Co"]);
    expect(await names("status=suspended")).toEqual(["Suspended Filter Co"]);
    expect(await names("status=active")).toEqual(["Premium Filter Co", "Plain Filter Co"]);
    expect(plain.company_id).toBeTruthy();
    await expectError(await admin("/api/admin/companies?status=gone"), 400, "VALIDATION_FAILED");
  });

  it("treats LIKE wildcards in the search as plain text", async () => {
    await registerCompany({ company_name: "Plain Co" });
    const body = await json<{ companies: Company[] }>(await admin("/api/admin/companies?q=%25"));
    expect(body.companies).toEqual([]);
  });

  it("rejects a bad limit with 400", async () => {
    await expectError(await admin("/api/admin/companies?limit=5000"), 400, "VALIDATION_FAILED");
  });
});
