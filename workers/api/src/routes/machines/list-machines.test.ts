import type { Machine } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

const machinesOf = (companyId: string) => `/api/admin/companies/${companyId}/machines`;

describe("listing machines", () => {
  it("lets members read their company's machines, by status, and no one else's", async () => {
    const acme = await registerCompany({ admin_email: "owner@acme.example" });
    const globex = await registerCompany();
    for (const body of [{ name: "Press" }, { name: "Lathe", status: "idle" }]) {
      expect((await callAsOperator(machinesOf(acme.company_id), { body })).status).toBe(201);
    }
    const owner = await companyOwner(acme.company_id, "owner@acme.example");
    const member = await companyMember(owner, acme.company_id, "member@acme.example");
    expect((await call(machinesOf(acme.company_id), { headers: { cookie: member } })).status).toBe(200);
    const idle = await json<{ machines: Machine[] }>(
      await call(`${machinesOf(acme.company_id)}?status=idle`, { headers: { cookie: member } }),
    );
    expect(idle.machines.map((machine) => machine.name)).toEqual(["Lathe"]);
    await expectError(
      await call(`${machinesOf(acme.company_id)}?status=broken`, { headers: { cookie: member } }),
      400,
      "VALIDATION_FAILED",
    );

    // Acme's owner cannot see Globex's machines, and Globex's database holds none of Acme's.
    await expectError(
      await call(machinesOf(globex.company_id), { headers: { cookie: owner } }),
      404,
      "COMPANY_NOT_FOUND",
    );
    const theirs = await json<{ machines: Machine[] }>(await callAsOperator(machinesOf(globex.company_id)));
    expect(theirs.machines).toEqual([]);
  });
});
