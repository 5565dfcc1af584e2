// One project, and one company's projects invisible to another.
import type { Project } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { company, project, showroom } from "./fixtures.ts";

describe("who sees what", () => {
  it("keeps one company's projects invisible to another", async () => {
    const acme = await registerCompany();
    const rival = await registerCompany();
    const job = await project(acme.company_id, await showroom(acme.company_id));
    await showroom(rival.company_id);
    await expectError(
      await callAsOperator(`${company(rival.company_id)}/projects/${job.id}`),
      404,
      "PROJECT_NOT_FOUND",
    );
    await expectError(
      await callAsOperator(`${company(rival.company_id)}/projects/${job.id}/move`, {
        body: { to_stage: "consultation" },
      }),
      404,
      "PROJECT_NOT_FOUND",
    );
    const listed = await json<{ projects: Project[] }>(
      await callAsOperator(`${company(rival.company_id)}/projects`),
    );
    expect(listed.projects).toEqual([]);
    // Nor can a project be opened in another company's showroom.
    await expectError(
      await callAsOperator(`${company(rival.company_id)}/projects`, {
        body: {
          title: "x",
          client: { name: "y" },
          showroom_id: (
            await json<{ project: Project }>(
              await callAsOperator(`${company(acme.company_id)}/projects/${job.id}`),
            )
          ).project.showroom_id,
        },
      }),
      404,
      "NOT_FOUND",
    );
  });
});
