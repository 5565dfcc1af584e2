// Which requirements of each stage a project meets now: the checks a move makes, asked beforehand.
import { DEFAULT_PIPELINE } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";
import { activity, check, company, project, showroom, userId } from "./fixtures.ts";

interface Requirements {
  project_id: string;
  stage: string;
  stages: { key: string; requirements: { requirement: { kind: string }; met: boolean }[] }[];
}

describe("project requirements", () => {
  it("follow the project's assignments, checklist and history, within the company", async () => {
    const acme = await registerCompany({ admin_email: "owner@reqs.example" });
    await companyOwner(acme.company_id, "owner@reqs.example");
    const job = await project(acme.company_id, await showroom(acme.company_id));
    const path = `${company(acme.company_id)}/projects/${job.id}/requirements`;
    const met = async () => {
      const status = await json<Requirements>(await callAsOperator(path));
      expect(status).toMatchObject({ project_id: job.id, stage: "enquiry" });
      expect(status.stages.map((stage) => stage.key)).toEqual(DEFAULT_PIPELINE.map((stage) => stage.key));
      return Object.fromEntries(status.stages.map((s) => [s.key, s.requirements.map((r) => r.met)]));
    };
    const before = await met();
    expect([before.consultation, before.survey_booked, before.quote_accepted]).toEqual([
      [false],
      [false],
      [false],
    ]);
    await activity(acme.company_id, job.id, { type: "call" });
    await check(acme.company_id, job.id, { quote_accepted: true });
    await callAsOperator(`${company(acme.company_id)}/projects/${job.id}`, {
      method: "PATCH",
      body: { assignments: { surveyor: await userId("owner@reqs.example") } },
    });
    const after = await met();
    expect([after.consultation, after.survey_booked, after.quote_accepted]).toEqual([[true], [true], [true]]);
    const rival = await registerCompany();
    await expectError(
      await callAsOperator(`${company(rival.company_id)}/projects/${job.id}/requirements`),
      404,
      "PROJECT_NOT_FOUND",
    );
  });
});
