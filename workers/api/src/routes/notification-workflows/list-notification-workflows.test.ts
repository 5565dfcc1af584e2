// The workflow list: every built-in (an override shown as such) followed by the company's own.
import { BUILT_IN_WORKFLOWS, type NotificationWorkflowList } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { registerCompany } from "../../../test/helpers.ts";
import { customWorkflow, expectCall, workflowsPath } from "./fixtures.ts";

describe("GET /api/admin/companies/{id}/notifications/workflows", () => {
  it("lists every built-in, with overrides, then the company's own", async () => {
    const { company_id: companyId } = await registerCompany();
    const fresh = await expectCall<NotificationWorkflowList>(workflowsPath(companyId), {}, 200);
    expect(fresh.workflows.map((w) => w.key)).toEqual(BUILT_IN_WORKFLOWS.map((w) => w.key));
    expect(fresh.workflows.every((w) => w.built_in && !w.overridden)).toBe(true);
    expect(fresh.workflows.map((w) => w.key)).toEqual(
      expect.arrayContaining(["project.assigned", "member.invited", "webhook.endpoint_failing", "sync.now"]),
    );

    await expectCall(workflowsPath(companyId), { body: customWorkflow }, 201);
    await expectCall(
      workflowsPath(companyId, "release.published"),
      { method: "PATCH", body: { digest_minutes: 60 } },
      200,
    );
    const after = await expectCall<NotificationWorkflowList>(workflowsPath(companyId), {}, 200);
    expect(after.workflows.at(-1)).toMatchObject({
      key: "invoice.overdue",
      built_in: false,
      overridden: false,
    });
    expect(after.workflows.find((w) => w.key === "release.published")).toMatchObject({
      built_in: true,
      overridden: true,
      digest_minutes: 60,
    });
    expect(after.workflows).toHaveLength(BUILT_IN_WORKFLOWS.length + 1);
  });
});
