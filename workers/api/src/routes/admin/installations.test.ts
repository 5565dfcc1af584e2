import type { ValidateResponse } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  adminToken,
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

describe("operator: installations", () => {
  it("lists a company's installations with a status filter", async () => {
    const company = await registerCompany();
    const a = await validatedMachine(company.company_code, "a");
    await validatedMachine(company.company_code, "b");
    await admin(`/api/admin/companies/${company.company_id}/installations/${a.installation.id}/deactivate`, {
      method: "POST",
    });
    const list = async (status: string) =>
      (
        await json<{ installations: InstallationView[] }>(
          await admin(`/api/admin/companies/${company.company_id}/installations?status=${status}`),
        )
      ).installations.map((i) => i.machine_id);
    expect(await list("all")).toEqual(["b", "a"]);
    expect(await list("active")).toEqual(["b"]);
    expect(await list("inactive")).toEqual(["a"]);
    await expectError(
      await admin(`/api/admin/companies/${company.company_id}/installations?status=sleepy`),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("searches by hostname, machine id or username, and filters by app version", async () => {
    const company = await registerCompany();
    await validateMachine(company.company_code, "shop_01", {
      hostname: "SHOP-FLOOR-01",
      app_version: "1.4.2",
    });
    await validateMachine(company.company_code, "shopx01", {
      hostname: "OFFICE",
      username: "planner",
      app_version: "1.3.0",
    });
    const list = async (query: string) =>
      (
        await json<{ installations: InstallationView[] }>(
          await admin(`/api/admin/companies/${company.company_id}/installations?${query}`),
        )
      ).installations.map((i) => i.machine_id);
    expect(await list("q=floor")).toEqual(["shop_01"]);
    expect(await list("q=PLANNER")).toEqual(["shopx01"]);
    // `_` is a plain character, not LIKE's any-one-character.
    expect(await list("q=shop_")).toEqual(["shop_01"]);
    expect(await list("app_version=1.3.0")).toEqual(["shopx01"]);
    expect(await list("q=nothing-like-it")).toEqual([]);
  });

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

  it("answers 404 for an unknown company", async () => {
    await expectError(await admin("/api/admin/companies/nope/installations"), 404, "COMPANY_NOT_FOUND");
  });
});

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
