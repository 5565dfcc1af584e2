import { describe, expect, it } from "vitest";
import {
  adminToken,
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
  validateMachine,
} from "../../../test/helpers.ts";

interface InstallationView {
  id: string;
  machine_id: string;
  is_active: boolean;
  deactivated_at: string | null;
}
const admin = callAsOperator;

describe("operator: deactivating installations", () => {
  it("deactivating frees the seat for another machine", async () => {
    const company = await registerCompany();
    await call(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      token: adminToken(),
      body: { max_installations: 1 },
    });
    const first = await validatedMachine(company.company_code, "first");
    await expectError(
      await validateMachine(company.company_code, "second"),
      409,
      "INSTALLATION_LIMIT_REACHED",
    );
    const response = await admin(
      `/api/admin/companies/${company.company_id}/installations/${first.installation.id}/deactivate`,
      { method: "POST" },
    );
    const { installation } = await json<{ installation: InstallationView }>(response);
    expect(installation.is_active).toBe(false);
    expect(installation.deactivated_at).not.toBeNull();
    expect((await validateMachine(company.company_code, "second")).status).toBe(200);
    const audit = await json<{ entries: { action: string; target_id: string }[] }>(
      await admin(`/api/admin/companies/${company.company_id}/audit-log?action=installation.deactivated`),
    );
    expect(audit.entries.map((e) => e.target_id)).toEqual([first.installation.id]);
  });

  it("answers 404 for another company's installation id (tenant isolation)", async () => {
    const victim = await registerCompany();
    const attacker = await registerCompany();
    const { installation } = await validatedMachine(victim.company_code, "victim-machine");
    await expectError(
      await admin(`/api/admin/companies/${attacker.company_id}/installations/${installation.id}/deactivate`, {
        method: "POST",
      }),
      404,
      "INSTALLATION_NOT_FOUND",
    );
    const victimList = await json<{ installations: InstallationView[] }>(
      await admin(`/api/admin/companies/${victim.company_id}/installations?status=active`),
    );
    expect(victimList.installations.map((i) => i.id)).toEqual([installation.id]);
    const attackerList = await json<{ installations: InstallationView[] }>(
      await admin(`/api/admin/companies/${attacker.company_id}/installations`),
    );
    expect(attackerList.installations).toEqual([]);
  });
});
