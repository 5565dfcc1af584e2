import type { Machine } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";

describe("changing a machine", () => {
  it("needs a field to change, and cannot reach another company's machine", async () => {
    const acme = await registerCompany();
    const globex = await registerCompany();
    const base = (companyId: string) => `/api/admin/companies/${companyId}/machines`;
    const { machine } = await json<{ machine: Machine }>(
      await callAsOperator(base(acme.company_id), { body: { name: "Press" } }),
    );
    const press = `${base(acme.company_id)}/${machine.id}`;

    await expectError(await callAsOperator(press, { method: "PATCH", body: {} }), 400, "VALIDATION_FAILED");
    await expectError(
      await callAsOperator(`${base(globex.company_id)}/${machine.id}`, {
        method: "PATCH",
        body: { name: "Hijacked" },
      }),
      404,
      "MACHINE_NOT_FOUND",
    );
    const after = await json<{ machine: Machine }>(await callAsOperator(press));
    expect(after.machine.name).toBe("Press");
  });
});
