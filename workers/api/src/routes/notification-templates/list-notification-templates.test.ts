// A workflow's templates: saved versions newest first per channel and locale, and the built-in
// defaults (English, and German for project.assigned).
import type { NotificationTemplateList } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, registerCompany } from "../../../test/helpers.ts";
import { expectCall, workflowsPath } from "../notification-workflows/fixtures.ts";

const templatesPath = (companyId: string, key: string) => `${workflowsPath(companyId, key)}/templates`;

describe("GET …/notifications/workflows/{key}/templates", () => {
  it("lists saved versions newest first and the built-in defaults", async () => {
    const { company_id: companyId } = await registerCompany();
    const fresh = await expectCall<NotificationTemplateList>(
      templatesPath(companyId, "project.assigned"),
      {},
      200,
    );
    expect(fresh.templates).toEqual([]);
    expect(fresh.defaults.map((t) => `${t.channel}/${t.locale}`).sort()).toEqual(
      ["email/de", "email/en", "in_app/de", "in_app/en", "push/de", "push/en"].sort(),
    );
    expect(fresh.defaults.every((t) => t.source === "built_in" && t.version === 0)).toBe(true);

    for (const text of ["one", "two", "three"]) {
      await expectCall(
        `${templatesPath(companyId, "project.assigned")}/in_app/de-AT`,
        { method: "PUT", body: { subject: "Neu", body: text } },
        201,
      );
    }
    const listed = await expectCall<NotificationTemplateList>(
      templatesPath(companyId, "project.assigned"),
      {},
      200,
    );
    expect(listed.templates.map((t) => [t.locale, t.version, t.body])).toEqual([
      ["de-at", 3, "three"],
      ["de-at", 2, "two"],
      ["de-at", 1, "one"],
    ]);
    await expectError(
      await callAsOperator(templatesPath(companyId, "no.such")),
      404,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
    );
  });
});
