// Saving templates: each PUT is a new version and the newest is what a trigger renders; the locale
// falls back exact → language → en → built-in; a template that does not parse is refused naming the
// line; members may not save.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";
import { expectCall, workflowsPath } from "../notification-workflows/fixtures.ts";
import { notifyCompany, storedMessages, trigger } from "../notifications/fixtures.ts";

const templatePath = (companyId: string, key: string, channel: string, locale: string) =>
  `${workflowsPath(companyId, key)}/templates/${channel}/${locale}`;

const invite = (to: unknown[], key: string) => ({
  workflow: "member.invited",
  to,
  payload: { email: "x@example.com", role: "member", invited_by: "Ann" },
  key,
});

describe("PUT …/workflows/{key}/templates/{channel}/{locale}", () => {
  it("renders the newest version, falling back from the exact locale to its language, en and the built-in", async () => {
    const acme = await notifyCompany("tpl-save", { ownerOnly: true });
    const db = await tenantDatabase(env, acme.companyId);
    const setLocale = (locale: string) =>
      db
        .prepare(
          "INSERT INTO notification_recipient_settings (recipient_key, locale) VALUES (?, ?) ON CONFLICT (recipient_key) DO UPDATE SET locale = excluded.locale",
        )
        .bind(`user:${acme.ownerId}`, locale)
        .run();
    const bodyFor = async (key: string) => {
      const { workflow, to, payload } = invite([{ user_id: acme.ownerId }], key);
      await trigger(acme.companyId, { workflow, to, payload }, { idempotencyKey: key });
      const [message] = await storedMessages(acme.companyId, key);
      return message ? [message.locale, message.body] : [];
    };

    await setLocale("de-AT");
    // Nothing saved: the built-in English default.
    expect(await bodyFor("k1")).toEqual(["en", "Ann invited x@example.com as member."]);
    await expectCall(
      templatePath(acme.companyId, "member.invited", "in_app", "en"),
      { method: "PUT", body: { subject: "Invited", body: "EN {{ payload.email }}" } },
      201,
    );
    expect(await bodyFor("k2")).toEqual(["en", "EN x@example.com"]);
    await expectCall(
      templatePath(acme.companyId, "member.invited", "in_app", "de"),
      { method: "PUT", body: { subject: "Eingeladen", body: "DE {{ payload.email }}" } },
      201,
    );
    expect(await bodyFor("k3")).toEqual(["de", "DE x@example.com"]);
    const v2 = await expectCall<{ template: { version: number } }>(
      templatePath(acme.companyId, "member.invited", "in_app", "de"),
      { method: "PUT", body: { subject: "Eingeladen", body: "DE2 {{ payload.email }}" } },
      201,
    );
    expect(v2.template.version).toBe(2);
    expect(await bodyFor("k4")).toEqual(["de", "DE2 x@example.com"]);
    await expectCall(
      templatePath(acme.companyId, "member.invited", "in_app", "de-AT"),
      { method: "PUT", body: { subject: "Eingeladen", body: "AT {{ payload.email }}" } },
      201,
    );
    expect(await bodyFor("k5")).toEqual(["de-at", "AT x@example.com"]);
  });

  it("refuses a template that does not parse, naming the line, and stores nothing", async () => {
    const { company_id: companyId } = await registerCompany();
    const path = templatePath(companyId, "project.assigned", "email", "en");
    const broken = await callAsOperator(path, {
      method: "PUT",
      body: { subject: "ok", body: "<p>Hello</p>\n{% if payload.x %}\n<p>never closed</p>" },
    });
    expect(broken.status).toBe(422);
    const error = (
      await json<{ error: { code: string; message: string; details: Record<string, unknown> } }>(broken)
    ).error;
    expect(error.code).toBe("NOTIFICATION_TEMPLATE_INVALID");
    expect(error.details).toMatchObject({ part: "body", line: 2 });
    expect(error.message).toContain("not closed");
    await expectError(
      await callAsOperator(path, {
        method: "PUT",
        body: { subject: "{{ x | nosuchfilter }}", body: "fine" },
      }),
      422,
      "NOTIFICATION_TEMPLATE_INVALID",
    );
    await expectError(
      await callAsOperator(templatePath(companyId, "project.assigned", "fax", "en"), {
        method: "PUT",
        body: { body: "x" },
      }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await callAsOperator(templatePath(companyId, "no.such", "email", "en"), {
        method: "PUT",
        body: { body: "x" },
      }),
      404,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
    );
    const listed = await expectCall<{ templates: unknown[] }>(
      `${workflowsPath(companyId, "project.assigned")}/templates`,
      {},
      200,
    );
    expect(listed.templates).toEqual([]);
  });

  it("needs notifications:manage, and records who saved", async () => {
    const acme = await notifyCompany("tpl-manage");
    const path = templatePath(acme.companyId, "project.assigned", "push", "en");
    await expectError(
      await call(path, { method: "PUT", body: { body: "x" }, headers: { cookie: acme.memberCookie } }),
      403,
      "FORBIDDEN",
    );
    const saved = await expectCall<{ template: { created_by: string } }>(
      path,
      { method: "PUT", body: { subject: "Hi", body: "x" }, cookie: acme.ownerCookie },
      201,
    );
    expect(saved.template.created_by).toBe(acme.ownerId);
  });
});
