// Listing projects: installers see the ones assigned to them, others see all and filter.
import type { Project } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { authCallAdmin, company, project, showroom, userId } from "./fixtures.ts";

describe("who sees what", () => {
  it("shows installers only the projects assigned to them (others are 404)", async () => {
    const acme = await registerCompany({ admin_email: "own@acme.example" });
    const owner = await companyOwner(acme.company_id, "own@acme.example");
    const installer = await companyMember(owner, acme.company_id, "fitter@acme.example", "installer");
    const fitter = await userId("fitter@acme.example");
    const room = await showroom(acme.company_id, { member_ids: [fitter] });
    const mine = await project(acme.company_id, room, { assignments: { installer: fitter } });
    const other = await project(acme.company_id, room);

    const listed = await json<{ projects: Project[] }>(
      await authCallAdmin(`${company(acme.company_id)}/projects`, undefined, installer, "GET"),
    );
    expect(listed.projects.map((p) => p.id)).toEqual([mine.id]);
    await expectError(
      await authCallAdmin(`${company(acme.company_id)}/projects/${other.id}`, undefined, installer, "GET"),
      404,
      "PROJECT_NOT_FOUND",
    );
    await expectError(
      await authCallAdmin(
        `${company(acme.company_id)}/projects/${other.id}/activities`,
        { type: "note", body: "x" },
        installer,
      ),
      404,
      "PROJECT_NOT_FOUND",
    );
    // Their own job: they read it and check in with GPS, but cannot move it.
    expect(
      (await authCallAdmin(`${company(acme.company_id)}/projects/${mine.id}`, undefined, installer, "GET"))
        .status,
    ).toBe(200);
    const checkIn = await authCallAdmin(
      `${company(acme.company_id)}/projects/${mine.id}/activities`,
      { type: "check_in", gps: { lat: 53.8, lng: -1.55, accuracy_m: 12 } },
      installer,
    );
    expect(checkIn.status, await checkIn.clone().text()).toBe(201);
    await expectError(
      await authCallAdmin(
        `${company(acme.company_id)}/projects/${mine.id}/move`,
        { to_stage: "consultation" },
        installer,
      ),
      403,
      "FORBIDDEN",
    );
    // The owner sees both, and can filter by assignee.
    const all = await json<{ projects: Project[] }>(
      await authCallAdmin(`${company(acme.company_id)}/projects`, undefined, owner, "GET"),
    );
    expect(all.projects).toHaveLength(2);
    const byAssignee = await json<{ projects: Project[] }>(
      await callAsOperator(`${company(acme.company_id)}/projects?assignee=${fitter}`),
    );
    expect(byAssignee.projects.map((p) => p.id)).toEqual([mine.id]);
  });
});
