import { latestTenantSchemaVersion } from "@nexus/db";
import { describe, expect, it } from "vitest";
import { adminToken, call, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";

describe("operator: tenant pool", () => {
  it("reports the pool from the deployment's bindings and what registration took", async () => {
    const company = await registerCompany();
    const status = await json<{
      bindings: number;
      free: number;
      assigned: number;
      databases: {
        binding_name: string;
        status: string;
        company_id: string | null;
        schema_version: string | null;
      }[];
    }>(await call("/api/admin/tenant-pool", { token: adminToken() }));
    expect(status.bindings).toBe(8);
    expect(status.free).toBe(7);
    expect(status.assigned).toBe(1);
    const assigned = status.databases.find((d) => d.status === "assigned");
    expect(assigned).toMatchObject({
      company_id: company.company_id,
      schema_version: latestTenantSchemaVersion,
    });
  });

  it("is not shown to a company's owner", async () => {
    const company = await registerCompany({ admin_email: "owner@pool.example" });
    const owner = await companyOwner(company.company_id, "owner@pool.example");
    await expectError(await call("/api/admin/tenant-pool", { headers: { cookie: owner } }), 403, "FORBIDDEN");
  });
});
