// Changing a pipeline: projects are never left in a stage it drops.
import { describe, it } from "vitest";
import { callAsOperator, expectError, registerCompany } from "../../../test/helpers.ts";
import { company, project, showroom } from "../projects/fixtures.ts";

describe("the pipeline", () => {
  it("refuses to drop a stage projects are in", async () => {
    const acme = await registerCompany();
    const room = await showroom(acme.company_id);
    await project(acme.company_id, room);
    const response = await callAsOperator(`${company(acme.company_id)}/pipeline`, {
      method: "PUT",
      body: {
        stages: [
          { key: "lead", name: "Lead" },
          { key: "won", name: "Won" },
        ],
      },
    });
    await expectError(response, 409, "PIPELINE_STAGE_IN_USE");
  });
});
