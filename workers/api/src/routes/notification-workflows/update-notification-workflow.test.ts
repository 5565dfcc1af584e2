// Changing workflows: the first change of a built-in stores an override (used by the next trigger),
// a company workflow changes in place, an unknown key is not found.
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, registerCompany } from "../../../test/helpers.ts";
import { trigger } from "../notifications/fixtures.ts";
import { customWorkflow, expectCall, workflowsPath } from "./fixtures.ts";

describe("PATCH /api/admin/companies/{id}/notifications/workflows/{key}", () => {
  it("overrides a built-in, and the next trigger follows the override", async () => {
    const { company_id: companyId } = await registerCompany();
    const patched = await expectCall<{ workflow: Record<string, unknown> }>(
      workflowsPath(companyId, "release.published"),
      { method: "PATCH", body: { channels: ["email"], critical: true } },
      200,
    );
    expect(patched.workflow).toMatchObject({
      key: "release.published",
      name: "Release published",
      channels: ["email"],
      critical: true,
      built_in: true,
      overridden: true,
    });
    const sent = await trigger(companyId, {
      workflow: "release.published",
      to: [{ email: "ops@example.com" }, { email: "cto@example.com" }],
      payload: { release: { version: "3.0.0" } },
    });
    expect(sent.messages.map((m) => m.channel)).toEqual(["email", "email"]);
  });

  it("changes a company workflow in place and finds no unknown one", async () => {
    const { company_id: companyId } = await registerCompany();
    await expectCall(workflowsPath(companyId), { body: customWorkflow }, 201);
    const patched = await expectCall<{ workflow: Record<string, unknown> }>(
      workflowsPath(companyId, customWorkflow.key),
      { method: "PATCH", body: { name: "Overdue invoices", digest_minutes: 30 } },
      200,
    );
    expect(patched.workflow).toMatchObject({
      name: "Overdue invoices",
      digest_minutes: 30,
      category: "billing",
    });
    await expectError(
      await callAsOperator(workflowsPath(companyId, "no.such"), { method: "PATCH", body: { name: "x" } }),
      404,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
    );
    await expectError(
      await callAsOperator(workflowsPath(companyId, customWorkflow.key), {
        method: "PATCH",
        body: { key: "other" },
      }),
      400,
      "VALIDATION_FAILED",
    );
  });
});
