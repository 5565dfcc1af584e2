import { env } from "cloudflare:workers";
import type { ErrorProject } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { as, auditRows, errorsCompany } from "../error-issues/fixtures.ts";

const body = { name: "Desktop app", app: "desktop", platform: "electron" };

describe("creating an error project", () => {
  it("gives a DSN Sentry's SDKs accept: the key, the API's host and the numeric project id", async () => {
    const { companyId, base, owner } = await errorsCompany("ep-create");
    const response = await as(owner, `${base}/error-projects`, { body });
    expect(response.status, await response.clone().text()).toBe(201);
    const { project } = await json<{ project: ErrorProject }>(response);
    expect(project).toMatchObject({
      name: "Desktop app",
      app: "desktop",
      platform: "electron",
      revoked_at: null,
    });
    expect(project.id).toBeGreaterThan(0);
    expect(project.public_key).toMatch(/^[0-9a-f]{32}$/);
    // PUBLIC_URL is http://nexus.test in the tests: the SDK will post to http://nexus.test/api/<id>/envelope/.
    expect(project.dsn).toBe(`http://${project.public_key}@nexus.test/${project.id}`);
    expect(project.stats.today).toEqual({ events: 0, sessions: 0, malformed: 0, rate_limited: 0 });

    const second = await json<{ project: ErrorProject }>(
      await as(owner, `${base}/error-projects`, { body: { ...body, name: "Phone app", app: "mobile" } }),
    );
    expect(second.project.id).not.toBe(project.id);
    expect(second.project.public_key).not.toBe(project.public_key);

    const row = await env.CENTRAL_DB.prepare("SELECT company_id, public_key FROM error_projects WHERE id = ?")
      .bind(project.id)
      .first<{ company_id: string; public_key: string }>();
    expect(row).toEqual({ company_id: companyId, public_key: project.public_key });
    const [audit] = await auditRows(companyId, "error_project.created");
    expect(audit).toMatchObject({ target_type: "error_project", target_id: String(project.id) });
    expect(audit?.details).toEqual({ name: "Desktop app", app: "desktop", platform: "electron" });

    // The audit log names the project.
    const log = await json<{ entries: { action: string; target_label?: string }[] }>(
      await callAsOperator(`${base}/audit-log?limit=50`),
    );
    const entry = log.entries.find(
      (e) => e.action === "error_project.created" && e.target_label === "Phone app",
    );
    expect(entry).toBeDefined();
  });

  it("refuses bad bodies, members without errors:manage and strangers", async () => {
    const { base, member } = await errorsCompany("ep-create-refused", { member: true });
    for (const bad of [
      { ...body, app: "watch" },
      { ...body, name: "" },
      { ...body, platform: "Electron App" },
      { name: "x", app: "desktop" },
      { ...body, public_key: "0".repeat(32) },
    ]) {
      await expectError(
        await callAsOperator(`${base}/error-projects`, { body: bad }),
        400,
        "VALIDATION_FAILED",
      );
    }
    await expectError(
      await callAsOperator(`${base}/error-projects`, {
        body: "{nope",
        headers: { "content-type": "application/json" },
      }),
      400,
      "MALFORMED_JSON",
    );
    // A member reads error tracking but does not manage it.
    await expectError(await as(member, `${base}/error-projects`, { body }), 403, "FORBIDDEN");
    expect((await as(member, `${base}/error-projects`)).status).toBe(200);
    await expectError(await call(`${base}/error-projects`, { body }), 401, "UNAUTHORIZED");
    await expectError(
      await callAsOperator("/api/admin/companies/no-such-company/error-projects", { body }),
      404,
      "COMPANY_NOT_FOUND",
    );
    const count = await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM error_projects WHERE company_id = ?",
    )
      .bind(base.split("/").at(-1))
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });

  it("answers another company's owner as if the company did not exist", async () => {
    const { base } = await errorsCompany("ep-create-victim");
    const attacker = await errorsCompany("ep-create-attacker");
    await expectError(await as(attacker.owner, `${base}/error-projects`, { body }), 404, "COMPANY_NOT_FOUND");
  });
});
