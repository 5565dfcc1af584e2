import type { Machine } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";

describe("getting a machine", () => {
  it("finds it in its own company's database only", async () => {
    const acme = await registerCompany();
    const globex = await registerCompany();
    const created = await callAsOperator(`/api/admin/companies/${acme.company_id}/machines`, {
      body: { name: "Press", thresholds: { temperature: { warn_above: 80 } } },
    });
    const { machine: press } = await json<{ machine: Machine }>(created);

    // Globex's path with Acme's machine id: Globex's database has no such machine.
    await expectError(
      await callAsOperator(`/api/admin/companies/${globex.company_id}/machines/${press.id}`),
      404,
      "MACHINE_NOT_FOUND",
    );
    const found = await callAsOperator(`/api/admin/companies/${acme.company_id}/machines/${press.id}`);
    expect(found.status).toBe(200);
    expect((await json<{ machine: Machine }>(found)).machine).toMatchObject({
      id: press.id,
      name: "Press",
      thresholds: { temperature: { warn_above: 80 } },
    });
  });
});
