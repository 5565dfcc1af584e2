// Opening projects: numbers unique and gap-free under concurrency, found by their reference.
import type { Project } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { company, project, showroom } from "./fixtures.ts";

describe("project numbers", () => {
  it("stay unique and gap-free under concurrent creation", async () => {
    const acme = await registerCompany();
    const room = await showroom(acme.company_id);
    const created = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        callAsOperator(`${company(acme.company_id)}/projects`, {
          body: { title: `Job ${i}`, client: { name: `Client ${i}` }, showroom_id: room },
        }),
      ),
    );
    const numbers = await Promise.all(
      created.map(async (r) => (await json<{ project: Project }>(r)).project.number),
    );
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    // A refused creation takes no number.
    await expectError(
      await callAsOperator(`${company(acme.company_id)}/projects`, {
        body: { title: "x", client: { name: "y" }, showroom_id: "nope" },
      }),
      404,
      "NOT_FOUND",
    );
    const next = await project(acme.company_id, room);
    expect(next.number).toBe(26);
    const found = await json<{ projects: Project[] }>(
      await callAsOperator(`${company(acme.company_id)}/projects?q=P-000026`),
    );
    expect(found.projects.map((p) => p.id)).toEqual([next.id]);
  });
});
