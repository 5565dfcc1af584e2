// Previewing: the editor's text or the template in use, rendered with the payload (or the built-in's
// sample); email HTML escapes the payload; errors and runaway templates are refused, not run.
import type { NotificationTemplatePreview } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";

const previewPath = (companyId: string) =>
  `/api/admin/companies/${companyId}/notifications/templates/preview`;

async function preview(companyId: string, body: Record<string, unknown>) {
  const response = await callAsOperator(previewPath(companyId), { body });
  expect(response.status, await response.clone().text()).toBe(200);
  return json<NotificationTemplatePreview>(response);
}

describe("POST …/notifications/templates/preview", () => {
  it("renders the template in use with the built-in's sample payload, or the locale's default", async () => {
    const { company_id: companyId } = await registerCompany({ company_name: "Preview GmbH" });
    const english = await preview(companyId, { workflow: "project.assigned", channel: "email" });
    expect(english.subject).toBe("Project Kitchen Miller: Installation");
    expect(english.body).toContain("Anna Admin");
    expect(english.body).toContain("Preview GmbH");
    expect(english.template).toEqual({ source: "built_in", locale: "en", version: 0 });
    const german = await preview(companyId, {
      workflow: "project.assigned",
      channel: "push",
      locale: "de-CH",
    });
    expect(german.body).toBe("Ihnen zugewiesen · Installation");
    expect(german.template.locale).toBe("de");
  });

  it("renders the editor's text with the given payload, escaping HTML in email only", async () => {
    const { company_id: companyId } = await registerCompany();
    const payload = { name: "<script>alert(1)</script>" };
    const email = await preview(companyId, {
      workflow: "member.invited",
      channel: "email",
      subject: "Hi {{ payload.name }}",
      body: "<p>{{ payload.name }}</p>{{ payload.name | raw }}",
      payload,
    });
    expect(email.body).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><script>alert(1)</script>");
    expect(email.subject).toBe("Hi <script>alert(1)</script>");
    expect(email.template).toEqual({ source: "request", locale: "en", version: null });
    const inApp = await preview(companyId, {
      workflow: "member.invited",
      channel: "in_app",
      body: "{{ payload.name }}",
      payload,
    });
    expect(inApp.body).toBe("<script>alert(1)</script>");
  });

  it("refuses broken templates, runaway loops and inherited properties", async () => {
    const { company_id: companyId } = await registerCompany();
    const base = { workflow: "member.invited", channel: "sms" };
    await expectError(
      await callAsOperator(previewPath(companyId), { body: { ...base, body: "{% for x in %}" } }),
      422,
      "NOTIFICATION_TEMPLATE_INVALID",
    );
    const started = Date.now();
    await expectError(
      await callAsOperator(previewPath(companyId), {
        body: { ...base, body: "{% for i in (1..100000000) %}xxxxxxxxxxxxxxxx{% endfor %}" },
      }),
      422,
      "NOTIFICATION_TEMPLATE_INVALID",
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    // Only the payload's own properties are visible: no prototype or constructor to climb.
    const own = await preview(companyId, {
      ...base,
      body: "[{{ payload.constructor }}][{{ payload.__proto__ }}][{{ payload.a.constructor.name }}]",
      payload: { a: {} },
    });
    expect(own.body).toBe("[][][]");
    // sms has no built-in template for member.invited, and none was saved.
    await expectError(
      await callAsOperator(previewPath(companyId), { body: base }),
      404,
      "NOTIFICATION_TEMPLATE_NOT_FOUND",
    );
    await expectError(
      await callAsOperator(previewPath(companyId), { body: { ...base, workflow: "no.such", body: "x" } }),
      404,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
    );
  });
});
