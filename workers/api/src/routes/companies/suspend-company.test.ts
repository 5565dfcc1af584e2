import type { Company } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";

const admin = callAsOperator;

describe("operator: suspending companies", () => {
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
