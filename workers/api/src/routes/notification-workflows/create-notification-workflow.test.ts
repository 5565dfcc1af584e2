// Creating a company workflow: stored with defaults; an existing or built-in key is a conflict; the
// body is checked; members (read only) may not.
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, registerCompany } from "../../../test/helpers.ts";
import { notifyCompany } from "../notifications/fixtures.ts";
import { customWorkflow, expectCall, workflowsPath } from "./fixtures.ts";

describe("POST /api/admin/companies/{id}/notifications/workflows", () => {
  it("adds a workflow, refusing a taken key, a built-in's key and unknown channels", async () => {
    const { company_id: companyId } = await registerCompany();
    const created = await expectCall<{ workflow: Record<string, unknown> }>(
      workflowsPath(companyId),
      { body: customWorkflow },
      201,
    );
    expect(created.workflow).toMatchObject({
      ...customWorkflow,
      critical: false,
      digest_minutes: null,
      built_in: false,
      overridden: false,
    });
    await expectError(
      await callAsOperator(workflowsPath(companyId), { body: { ...customWorkflow, name: "Again" } }),
      409,
      "NOTIFICATION_WORKFLOW_EXISTS",
    );
    await expectError(
      await callAsOperator(workflowsPath(companyId), {
        body: { ...customWorkflow, key: "project.assigned" },
      }),
      409,
      "NOTIFICATION_WORKFLOW_BUILT_IN",
    );
    await expectError(
      await callAsOperator(workflowsPath(companyId), {
        body: { ...customWorkflow, key: "x.y", channels: ["fax"] },
      }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await callAsOperator(workflowsPath(companyId), { body: { ...customWorkflow, key: "Bad Key" } }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("needs notifications:manage", async () => {
    const acme = await notifyCompany("wf-create");
    // Members may read workflows (notifications:read) but not add them.
    await expectCall(workflowsPath(acme.companyId), { cookie: acme.memberCookie }, 200);
    await expectError(
      await call(workflowsPath(acme.companyId), {
        body: customWorkflow,
        headers: { cookie: acme.memberCookie },
      }),
      403,
      "FORBIDDEN",
    );
    await expectCall(workflowsPath(acme.companyId), { body: customWorkflow, cookie: acme.ownerCookie }, 201);
  });
});
