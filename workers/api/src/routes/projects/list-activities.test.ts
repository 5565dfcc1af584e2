// A project's history, newest first, in pages.
import type { Activity } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { activity, company, project, showroom } from "./fixtures.ts";

interface Listed {
  activities: Activity[];
  next_cursor: string | null;
}

describe("listing activities", () => {
  it("pages the history newest first, down to the project's creation", async () => {
    const acme = await registerCompany();
    const job = await project(acme.company_id, await showroom(acme.company_id));
    for (const body of ["first", "second", "third"])
      await activity(acme.company_id, job.id, { type: "note", body });
    const path = `${company(acme.company_id)}/projects/${job.id}/activities`;
    const first = await json<Listed>(await callAsOperator(`${path}?limit=3`));
    expect(first.activities.map((a) => a.body)).toEqual(["third", "second", "first"]);
    expect(first.next_cursor).not.toBeNull();
    const second = await json<Listed>(await callAsOperator(`${path}?limit=3&cursor=${first.next_cursor}`));
    expect(second.activities.map((a) => [a.type, a.data.kind])).toEqual([["status_change", "created"]]);
    expect(second.next_cursor).toBeNull();
    await expectError(await callAsOperator(`${path}?limit=0`), 400, "VALIDATION_FAILED");
  });
});
