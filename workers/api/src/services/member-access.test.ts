// Permissions worked out from the membership (services/member-access.ts), tried through real routes:
// several roles add up, a custom role grants what it stores, and a role whose stored permissions
// cannot be read grants nothing.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, registerCompany } from "../../test/helpers.ts";
import { authCall, companyMember, companyOwner } from "../../test/users.ts";
import { forgetIdentities } from "../auth/identity-cache.ts";

describe("a member's permissions", () => {
  it("are the union of their roles, custom ones read from better-auth's table", async () => {
    const company = await registerCompany({ admin_email: "owner@roles.example" });
    const owner = await companyOwner(company.company_id, "owner@roles.example");
    const created = await authCall("/organization/create-role", {
      body: {
        organizationId: company.company_id,
        role: "fleet_viewer",
        permission: { installations: ["read"] },
      },
      cookie: owner,
    });
    expect(created.status, await created.clone().text()).toBe(200);
    // An installer may not list installations; with the custom role beside it, they may.
    const both = await companyMember(owner, company.company_id, "both@roles.example", "installer");
    const installations = `/api/admin/companies/${company.company_id}/installations`;
    await expectError(await call(installations, { headers: { cookie: both } }), 403, "FORBIDDEN");
    await env.CENTRAL_DB.prepare(
      "UPDATE member SET role = 'installer,fleet_viewer' WHERE organization_id = ? AND role = 'installer'",
    )
      .bind(company.company_id)
      .run();
    // Written straight to D1, as another isolate would: this one would notice within
    // IDENTITY_CACHE_MS (identity-cache.test.ts tries that); here it is told at once.
    forgetIdentities();
    expect((await call(installations, { headers: { cookie: both } })).status).toBe(200);
    // Still nothing neither role has.
    await expectError(
      await call(`/api/admin/companies/${company.company_id}/audit-log`, { headers: { cookie: both } }),
      403,
      "FORBIDDEN",
    );

    // A custom role whose stored permissions are unreadable grants nothing (and breaks nothing).
    await env.CENTRAL_DB.prepare(
      "UPDATE organization_role SET permission = 'not json' WHERE role = 'fleet_viewer'",
    ).run();
    forgetIdentities();
    await expectError(await call(installations, { headers: { cookie: both } }), 403, "FORBIDDEN");
  });
});
