import { describe, expect, it } from "vitest";
import { adminToken, call, json, registerCompany } from "../../../test/helpers.ts";

describe("operator: audit log actions", () => {
  it("lists the actions a company's log holds, with counts, and only its own", async () => {
    const a = await registerCompany();
    const b = await registerCompany();
    for (const shift of ["early", "late"]) {
      await call(`/api/admin/companies/${a.company_id}/settings`, {
        token: adminToken(),
        method: "PUT",
        body: { settings: { shift } },
      });
    }
    await call(`/api/admin/companies/${b.company_id}/suspend`, {
      token: adminToken(),
      method: "POST",
      body: {},
    });
    const listed = await json<{ actions: { action: string; entries: number }[] }>(
      await call(`/api/admin/companies/${a.company_id}/audit-log/actions`, { token: adminToken() }),
    );
    expect(listed.actions).toEqual([
      { action: "company.registered", entries: 1 },
      { action: "company.settings_changed", entries: 2 },
    ]);
  });
});
