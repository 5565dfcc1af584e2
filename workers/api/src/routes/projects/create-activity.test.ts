// Recording activities: when they happened, check-ins with their position, and no stage changes by hand.
import type { Activity } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { activity, company, project, showroom } from "./fixtures.ts";

describe("creating activities", () => {
  it("records who and when, needs gps on a check-in, and leaves status changes to moves", async () => {
    const acme = await registerCompany();
    const job = await project(acme.company_id, await showroom(acme.company_id));
    const created = await activity(acme.company_id, job.id, {
      type: "site_visit",
      body: "Measured the bathroom",
      occurred_at: "2026-03-01T09:30:00.000Z",
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { activity: visit } = await json<{ activity: Activity }>(created);
    expect(visit).toMatchObject({
      project_id: job.id,
      type: "site_visit",
      body: "Measured the bathroom",
      data: {},
      actor: { type: "operator", id: "admin-secret" },
      occurred_at: "2026-03-01T09:30:00.000Z",
    });
    expect(Date.parse(visit.created_at)).toBeGreaterThan(Date.now() - 60_000);
    const checkIn = await json<{ activity: Activity }>(
      await activity(acme.company_id, job.id, { type: "check_in", gps: { lat: 53.8, lng: -1.55 } }),
    );
    expect(checkIn.activity.data).toEqual({ gps: { lat: 53.8, lng: -1.55 } });
    await expectError(
      await activity(acme.company_id, job.id, { type: "check_in" }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await activity(acme.company_id, job.id, { type: "status_change" }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await callAsOperator(`${company(acme.company_id)}/projects/nope/activities`, {
        body: { type: "note" },
      }),
      404,
      "PROJECT_NOT_FOUND",
    );
  });
});
