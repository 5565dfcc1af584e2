import type { Machine } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";

describe("deleting a machine", () => {
  it("never deletes another company's machine through its own path", async () => {
    const [acme, globex] = [await registerCompany(), await registerCompany()];
    const created = await callAsOperator(`/api/admin/companies/${acme.company_id}/machines`, {
      body: { name: "Press" },
    });
    const pressId = (await json<{ machine: Machine }>(created)).machine.id;

    await expectError(
      await callAsOperator(`/api/admin/companies/${globex.company_id}/machines/${pressId}`, {
        method: "DELETE",
      }),
      404,
      "MACHINE_NOT_FOUND",
    );
    expect((await callAsOperator(`/api/admin/companies/${acme.company_id}/machines/${pressId}`)).status).toBe(
      200,
    );
  });
});
