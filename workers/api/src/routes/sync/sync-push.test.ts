// Pushing to the real tenant D1: idempotent pushes, gaps refused, rejected mutations not blocking.
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { admin, checkIn, setup, syncCall } from "./fixtures.ts";

describe("push", () => {
  it("applies a batch once: the same batch again (a lost response retried) changes nothing", async () => {
    const { companyId, job } = await setup();
    const jobId = await job("Bathroom");
    const mutations = [
      checkIn(1, jobId),
      checkIn(2, jobId),
      { id: 3, name: "job.setStatus", args: { job_id: jobId, status: "on_hold" } },
    ];
    const body = { company_id: companyId, device_id: "device-aaaa-1", mutations };
    const first = await json<{ last_mutation_id: number }>(await syncCall("push", body));
    expect(first.last_mutation_id).toBe(3);
    const again = await json<{ last_mutation_id: number; rejected: unknown[] }>(await syncCall("push", body));
    expect(again).toMatchObject({ last_mutation_id: 3, rejected: [] });
    const activities = await json<{ activities: { type: string }[] }>(
      await callAsOperator(`${admin(companyId)}/projects/${jobId}/activities`),
    );
    expect(activities.activities.filter((a) => a.type === "check_in")).toHaveLength(2);
  });

  it("refuses a gap with the last applied id, writing nothing", async () => {
    const { companyId, job } = await setup();
    const jobId = await job("Kitchen");
    await syncCall("push", {
      company_id: companyId,
      device_id: "device-gap-01",
      mutations: [checkIn(1, jobId)],
    });
    const gap = await syncCall("push", {
      company_id: companyId,
      device_id: "device-gap-01",
      mutations: [checkIn(3, jobId), checkIn(4, jobId)],
    });
    const error = await expectError(gap, 409, "SYNC_MUTATION_GAP");
    expect(error.details).toEqual({ last_mutation_id: 1 });
    const activities = await json<{ activities: { type: string }[] }>(
      await callAsOperator(`${admin(companyId)}/projects/${jobId}/activities`),
    );
    expect(activities.activities.filter((a) => a.type === "check_in")).toHaveLength(1);
  });

  it("records an illegal stage change as rejected while the mutations after it apply", async () => {
    const { companyId, job } = await setup();
    const jobId = await job("Wet room");
    const response = await syncCall("push", {
      company_id: companyId,
      device_id: "device-rules-1",
      mutations: [
        { id: 1, name: "job.setStage", args: { job_id: jobId, stage: "completion" } },
        { id: 2, name: "job.setStage", args: { job_id: jobId, stage: "consultation" } },
        checkIn(3, jobId),
        { id: 4, name: "job.setStage", args: { job_id: "not-a-job", stage: "consultation" } },
      ],
    });
    const result = await json<{
      last_mutation_id: number;
      rejected: { mutation_id: number; code: string }[];
    }>(response);
    expect(result.last_mutation_id).toBe(4);
    expect(result.rejected.map((r) => [r.mutation_id, r.code])).toEqual([
      [1, "ILLEGAL_STAGE_CHANGE"],
      [2, "STAGE_REQUIREMENTS_UNMET"],
      [4, "NOT_ASSIGNED"],
    ]);
    const project = await json<{ project: { stage: string } }>(
      await callAsOperator(`${admin(companyId)}/projects/${jobId}`),
    );
    expect(project.project.stage).toBe("enquiry");
    // The same push again (its answer was lost): nothing applies twice, the rejections are reported again.
    const resent = await json<{ last_mutation_id: number; rejected: { mutation_id: number }[] }>(
      await syncCall("push", {
        company_id: companyId,
        device_id: "device-rules-1",
        mutations: [
          { id: 1, name: "job.setStage", args: { job_id: jobId, stage: "completion" } },
          checkIn(2, jobId),
        ],
      }),
    );
    expect(resent).toMatchObject({ last_mutation_id: 4, rejected: [{ mutation_id: 1 }, { mutation_id: 2 }] });
  });
});
