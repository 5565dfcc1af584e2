// Changing a project: only the fields sent change, the checklist merges, a null clears a value or an
// assignment, and only the company's members can be assigned.
import type { Project } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";
import { company, project, showroom, userId } from "./fixtures.ts";

describe("updating projects", () => {
  it("changes what is sent and leaves the rest", async () => {
    const acme = await registerCompany({ admin_email: "owner@edit-jobs.example" });
    await companyOwner(acme.company_id, "owner@edit-jobs.example");
    const owner = await userId("owner@edit-jobs.example");
    const job = await project(acme.company_id, await showroom(acme.company_id), {
      value: 12_000,
      assignments: { designer: owner },
    });
    const path = `${company(acme.company_id)}/projects/${job.id}`;
    const patch = async (body: Record<string, unknown>) => {
      const response = await callAsOperator(path, { method: "PATCH", body });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await json<{ project: Project }>(response)).project;
    };
    await patch({ checklist: { deposit_paid: true } });
    const changed = await patch({
      client: { name: "Grace Hopper", email: "Grace@Example.com" },
      checklist: { final_payment: false },
      value: null,
      assignments: { designer: null, installer: owner },
    });
    expect(changed).toMatchObject({
      title: job.title,
      status: "active",
      value: null,
      client: { name: "Grace Hopper", email: "Grace@Example.com" },
      checklist: { deposit_paid: true, final_payment: false },
      assignments: { installer: owner },
      expected_completion: null,
    });
    expect(changed.assignments.designer).toBeUndefined();
    // The client's email is searched in lower case.
    const found = await json<{ projects: Project[] }>(
      await callAsOperator(`${company(acme.company_id)}/projects?q=grace@example`),
    );
    expect(found.projects.map((p) => p.id)).toEqual([job.id]);
    await expectError(
      await callAsOperator(path, { method: "PATCH", body: { assignments: { installer: "stranger" } } }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(await callAsOperator(path, { method: "PATCH", body: {} }), 400, "VALIDATION_FAILED");
  });
});
