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

describe("operator: companies", () => {
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

  it("changes tier (bringing its default limits) and records it in the audit log", async () => {
    const company = await registerCompany();
    const response = await admin(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      body: { subscription_tier: "professional", update_channel: "beta" },
    });
    const { company: updated } = await json<{ company: Company }>(response);
    expect(updated).toMatchObject({
      subscription_tier: "professional",
      max_installations: 50,
      update_channel: "beta",
    });
    const audit = await json<{ entries: { action: string; details: unknown }[] }>(
      await admin(`/api/admin/companies/${company.company_id}/audit-log?action=company.updated`),
    );
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]?.details).toEqual({
      changes: { subscription_tier: "professional", update_channel: "beta" },
    });
  });

  it("refuses an empty or invalid update", async () => {
    const company = await registerCompany();
    await expectError(
      await admin(`/api/admin/companies/${company.company_id}`, { method: "PATCH", body: {} }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await admin(`/api/admin/companies/${company.company_id}`, {
        method: "PATCH",
        body: { max_installations: -1 },
      }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("merges settings, deletes keys set to null, replaces on request, and bumps the version each time", async () => {
    const company = await registerCompany();
    const put = (body: unknown) =>
      admin(`/api/admin/companies/${company.company_id}/settings`, { method: "PUT", body });
    const first = await json<{ company: Company }>(await put({ settings: { theme: "dark", locale: "de" } }));
    expect(first.company).toMatchObject({ settings: { theme: "dark", locale: "de" }, settings_version: 2 });
    const merged = await json<{ company: Company }>(
      await put({ settings: { locale: null, units: "metric" } }),
    );
    expect(merged.company.settings).toEqual({ theme: "dark", units: "metric" });
    const replaced = await json<{ company: Company }>(
      await put({ settings: { only: true }, mode: "replace" }),
    );
    expect(replaced.company).toMatchObject({ settings: { only: true }, settings_version: 4 });
    await expectError(await put({ settings: "dark" }), 400, "VALIDATION_FAILED");
  });

  it("suspends and resumes, with the reason and audit rows", async () => {
    const company = await registerCompany();
    const suspended = await json<{ company: Company }>(
      await admin(`/api/admin/companies/${company.company_id}/suspend`, {
        method: "POST",
        body: { reason: "fraud check" },
      }),
    );
    expect(suspended.company).toMatchObject({ suspended: true, suspended_reason: "fraud check" });
    const resumed = await json<{ company: Company }>(
      await admin(`/api/admin/companies/${company.company_id}/resume`, { method: "POST" }),
    );
    expect(resumed.company).toMatchObject({
      suspended: false,
      suspended_reason: null,
      subscription_status: "active",
    });
    const audit = await json<{ entries: { action: string; actor_type: string }[] }>(
      await admin(`/api/admin/companies/${company.company_id}/audit-log`),
    );
    expect(audit.entries.map((e) => e.action)).toEqual([
      "company.resumed",
      "company.suspended",
      "company.registered",
    ]);
    expect(audit.entries.every((e) => e.actor_type === "operator")).toBe(true);
  });
});
