import type { ValidateResponse } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  BASE_URL,
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
  validateMachine,
} from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

interface InstallationView {
  id: string;
  machine_id: string;
  is_active: boolean;
  deactivated_at: string | null;
}
const admin = callAsOperator;

describe("reset an installation's binding", () => {
  const resetPath = (companyId: string, installationId: string) =>
    `/api/admin/companies/${companyId}/installations/${installationId}/reset-binding`;

  it("lets the company's owner free a machine's binding so a reinstalled machine joins again, audited", async () => {
    const ownerEmail = "binding-owner@example.com";
    const company = await registerCompany({ admin_email: ownerEmail });
    const owner = await companyOwner(company.company_id, ownerEmail);
    const { installation } = await validatedMachine(company.company_code, "reinstalled");
    // The reinstalled machine lost its secret: refused until the binding is reset.
    await expectError(
      await validateMachine(company.company_code, "reinstalled", { installation_secret: undefined }),
      409,
      "INSTALLATION_BOUND",
    );
    const member = await companyMember(owner, company.company_id, `member-${company.company_id}@example.com`);
    await expectError(
      await call(resetPath(company.company_id, installation.id), {
        method: "POST",
        headers: { cookie: member, origin: BASE_URL },
      }),
      403,
      "FORBIDDEN",
    );
    const reset = await call(resetPath(company.company_id, installation.id), {
      method: "POST",
      headers: { cookie: owner, origin: BASE_URL },
    });
    expect(reset.status, await reset.clone().text()).toBe(200);
    expect((await json<{ installation: InstallationView }>(reset)).installation.is_active).toBe(true);
    const rejoined = await validateMachine(company.company_code, "reinstalled", {
      installation_secret: undefined,
    });
    expect(rejoined.status).toBe(200);
    const body = await json<ValidateResponse>(rejoined);
    expect(body.installation.id).toBe(installation.id);
    expect(body.installation.secret).toMatch(/^nxi_/);
    const audit = await json<{ entries: { action: string; target_id: string }[] }>(
      await admin(`/api/admin/companies/${company.company_id}/audit-log?action=installation.binding_reset`),
    );
    expect(audit.entries.map((entry) => entry.target_id)).toEqual([installation.id]);
  });

  it("answers 404 for another company's installation, and leaves it bound", async () => {
    const victim = await registerCompany();
    const attacker = await registerCompany();
    const { installation } = await validatedMachine(victim.company_code, "victim-machine");
    await expectError(
      await admin(resetPath(attacker.company_id, installation.id), { method: "POST" }),
      404,
      "INSTALLATION_NOT_FOUND",
    );
    await expectError(
      await validateMachine(victim.company_code, "victim-machine", { installation_secret: undefined }),
      409,
      "INSTALLATION_BOUND",
    );
  });
});
