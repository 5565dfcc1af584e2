// One workflow: a built-in without a row, the company's own, and unknown keys not found.
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, registerCompany } from "../../../test/helpers.ts";
import { customWorkflow, expectCall, workflowsPath } from "./fixtures.ts";

describe("GET /api/admin/companies/{id}/notifications/workflows/{key}", () => {
  it("answers built-ins and the company's own, and no other company's", async () => {
    const { company_id: companyId } = await registerCompany();
    const { company_id: rivalId } = await registerCompany();
    const builtIn = await expectCall<{ workflow: Record<string, unknown> }>(
      workflowsPath(companyId, "webhook.endpoint_failing"),
      {},
      200,
    );
    expect(builtIn.workflow).toMatchObject({
      critical: true,
      category: "webhooks",
      built_in: true,
      created_at: null,
    });
    await expectCall(workflowsPath(companyId), { body: customWorkflow }, 201);
    const own = await expectCall<{ workflow: Record<string, unknown> }>(
      workflowsPath(companyId, customWorkflow.key),
      {},
      200,
    );
    expect(own.workflow).toMatchObject({ key: customWorkflow.key, built_in: false });
    await expectError(
      await callAsOperator(workflowsPath(rivalId, customWorkflow.key)),
      404,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
    );
  });
});
