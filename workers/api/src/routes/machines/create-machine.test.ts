import { env } from "cloudflare:workers";
import type { Machine } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

const machinesOf = (companyId: string) => `/api/admin/companies/${companyId}/machines`;

async function createMachine(companyId: string, body: Record<string, unknown>): Promise<Machine> {
  const response = await callAsOperator(machinesOf(companyId), { body });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await json<{ machine: Machine }>(response)).machine;
}

describe("machines", () => {
  it("are created, listed, changed and deleted in the company's own tenant database, with an audit trail", async () => {
    const company = await registerCompany();
    const press = await createMachine(company.company_id, {
      name: "Press 1",
      type: "hydraulic_press",
      grid_x: 2,
      grid_y: 3,
      metadata: { tonnage: 200 },
      thresholds: { temperature: { warn_above: 80, critical_above: 95 } },
    });
    expect(press).toMatchObject({
      name: "Press 1",
      status: "running",
      health_score: null,
      grid_x: 2,
      last_values: {},
    });
    const binding = await env.CENTRAL_DB.prepare(
      "SELECT binding_name FROM company_databases WHERE company_id = ?",
    )
      .bind(company.company_id)
      .first<{ binding_name: keyof Env }>();
    const tenant = env[binding?.binding_name as "TENANT_DB_0001"];
    expect(await tenant.prepare("SELECT name FROM machines").all()).toMatchObject({
      results: [{ name: "Press 1" }],
    });

    const changed = await callAsOperator(`${machinesOf(company.company_id)}/${press.id}`, {
      method: "PATCH",
      body: { status: "maintenance", name: "Press 1A" },
    });
    expect((await json<{ machine: Machine }>(changed)).machine).toMatchObject({
      status: "maintenance",
      name: "Press 1A",
    });
    const listed = await json<{ machines: Machine[] }>(
      await callAsOperator(`${machinesOf(company.company_id)}?status=maintenance`),
    );
    expect(listed.machines.map((m) => m.id)).toEqual([press.id]);

    expect(
      (await callAsOperator(`${machinesOf(company.company_id)}/${press.id}`, { method: "DELETE" })).status,
    ).toBe(200);
    await expectError(
      await callAsOperator(`${machinesOf(company.company_id)}/${press.id}`),
      404,
      "MACHINE_NOT_FOUND",
    );
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT action FROM audit_logs WHERE target_id = ? ORDER BY created_at, action",
    )
      .bind(press.id)
      .all<{ action: string }>();
    expect(audit.results.map((row) => row.action).sort()).toEqual([
      "machine.created",
      "machine.deleted",
      "machine.updated",
    ]);
  });

  it("refuse bad input with the fields named, and members may not add them", async () => {
    const acme = await registerCompany({ admin_email: "owner@acme.example" });
    await expectError(
      await callAsOperator(machinesOf(acme.company_id), { body: { name: "" } }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await callAsOperator(machinesOf(acme.company_id), {
        body: { name: "x", thresholds: { Temp: { warn_above: 1 } } },
      }),
      400,
      "VALIDATION_FAILED",
    );

    // A member reads machines but cannot change them.
    const owner = await companyOwner(acme.company_id, "owner@acme.example");
    const member = await companyMember(owner, acme.company_id, "member@acme.example");
    await expectError(
      await call(machinesOf(acme.company_id), { headers: { cookie: member }, body: { name: "Sneaky" } }),
      403,
      "FORBIDDEN",
    );
  });
});
