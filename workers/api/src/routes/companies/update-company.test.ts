import type { Company } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";

const admin = callAsOperator;

describe("operator: updating a company", () => {
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
});

// Stripe's events name the customer, which must map to one company.
describe("billing through Stripe", () => {
  it("maps a company to one Stripe customer", async () => {
    const acme = await registerCompany();
    const rival = await registerCompany();
    const link = (companyId: string) =>
      callAsOperator(`/api/admin/companies/${companyId}`, {
        method: "PATCH",
        body: { stripe_customer_id: "cus_Acme123" },
      });
    const linked = await json<{ company: { stripe_customer_id: string } }>(await link(acme.company_id));
    expect(linked.company.stripe_customer_id).toBe("cus_Acme123");
    await expectError(await link(rival.company_id), 409, "STRIPE_CUSTOMER_TAKEN");
  });
});
