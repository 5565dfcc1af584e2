import type { HubStats } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  openLive,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

describe("GET /api/admin/companies/{companyId}/hub", () => {
  it("counts the company's installations and live sockets for its operators and members", async () => {
    const company = await registerCompany({ admin_email: "stats@live.example" });
    const machine = await validatedMachine(company.company_code, "stats-pc");
    const app = await openLive({ token: machine.installation.token });
    await app.next("welcome");
    const path = `/api/admin/companies/${company.company_id}/hub`;
    const stats = await json<HubStats>(await callAsOperator(path));
    expect(stats).toMatchObject({
      success: true,
      installations: { active: 1, dead: 0, deactivated: 0 },
      sockets: { installations: 1, dashboards: 0 },
    });
    // A member may read installations: they see the same.
    const owner = await companyOwner(company.company_id, "stats@live.example");
    const member = await companyMember(owner, company.company_id, "stats-member@live.example");
    const seen = await call(path, { headers: { cookie: member } });
    expect(seen.status).toBe(200);
    expect(await json<HubStats>(seen)).toMatchObject({ sockets: { installations: 1 } });
    app.ws.close(1000);
  });

  it("refuses strangers, other companies' owners and installations", async () => {
    const company = await registerCompany();
    const machine = await validatedMachine(company.company_code, "stats-pc");
    const path = `/api/admin/companies/${company.company_id}/hub`;
    await expectError(await call(path), 401, "UNAUTHORIZED");
    await expectError(await call(path, { token: machine.installation.token }), 401, "UNAUTHORIZED");
    const other = await registerCompany({ admin_email: "stats-other@live.example" });
    const otherOwner = await companyOwner(other.company_id, "stats-other@live.example");
    await expectError(await call(path, { headers: { cookie: otherOwner } }), 404, "COMPANY_NOT_FOUND");
    await expectError(
      await callAsOperator("/api/admin/companies/no-such-company/hub"),
      404,
      "COMPANY_NOT_FOUND",
    );
  });
});
