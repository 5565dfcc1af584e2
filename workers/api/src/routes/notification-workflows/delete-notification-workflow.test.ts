// Deleting: a company workflow goes with its templates (its history stays); a built-in is refused,
// even when overridden.
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, registerCompany } from "../../../test/helpers.ts";
import { customWorkflow, expectCall, workflowsPath } from "./fixtures.ts";

describe("DELETE /api/admin/companies/{id}/notifications/workflows/{key}", () => {
  it("deletes a company workflow with its templates, and refuses built-ins", async () => {
    const { company_id: companyId } = await registerCompany();
    await expectCall(workflowsPath(companyId), { body: customWorkflow }, 201);
    await expectCall(
      `${workflowsPath(companyId, customWorkflow.key)}/templates/email/en`,
      { method: "PUT", body: { subject: "Overdue", body: "<p>{{ payload.invoice }}</p>" } },
      201,
    );
    const deleted = await expectCall(workflowsPath(companyId, customWorkflow.key), { method: "DELETE" }, 200);
    expect(deleted).toEqual({ success: true, key: customWorkflow.key, deleted_templates: 1 });
    await expectError(
      await callAsOperator(workflowsPath(companyId, customWorkflow.key)),
      404,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
    );
    await expectError(
      await callAsOperator(workflowsPath(companyId, customWorkflow.key), { method: "DELETE" }),
      404,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
    );

    await expectCall(
      workflowsPath(companyId, "chat.message"),
      { method: "PATCH", body: { channels: ["push"] } },
      200,
    );
    await expectError(
      await callAsOperator(workflowsPath(companyId, "chat.message"), { method: "DELETE" }),
      409,
      "NOTIFICATION_WORKFLOW_BUILT_IN",
    );
    await expectCall(workflowsPath(companyId, "chat.message"), {}, 200);
  });
});
