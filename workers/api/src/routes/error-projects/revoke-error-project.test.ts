import { env } from "cloudflare:workers";
import type { ErrorProject } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { as, auditRows, errorProject, errorsCompany, insertIssues } from "../error-issues/fixtures.ts";

describe("revoking an error project", () => {
  it("marks the DSN revoked once, keeps the project's issues readable, and audits it", async () => {
    const { companyId, base, owner } = await errorsCompany("ep-revoke");
    const project = await errorProject(companyId);
    await insertIssues(companyId, [{ projectId: project.id }]);
    const revoke = () => as(owner, `${base}/error-projects/${project.id}`, { method: "DELETE" });
    const response = await revoke();
    expect(response.status, await response.clone().text()).toBe(200);
    const revoked = (await json<{ project: ErrorProject }>(response)).project;
    expect(revoked.revoked_at).not.toBeNull();
    const again = (await json<{ project: ErrorProject }>(await revoke())).project;
    expect(again.revoked_at).toBe(revoked.revoked_at);
    const row = await env.CENTRAL_DB.prepare("SELECT revoked_at FROM error_projects WHERE id = ?")
      .bind(project.id)
      .first<{ revoked_at: number }>();
    expect(row?.revoked_at).toBe(Date.parse(revoked.revoked_at ?? ""));
    expect((await auditRows(companyId, "error_project.revoked")).length).toBe(1);

    const issues = await json<{ issues: unknown[] }>(
      await as(owner, `${base}/error-issues?project_id=${project.id}`),
    );
    expect(issues.issues).toHaveLength(1);
  });

  it("answers 404 for another company's project and 403 to a member", async () => {
    const { companyId, base, member } = await errorsCompany("ep-revoke-refused", { member: true });
    const project = await errorProject(companyId);
    const other = await errorsCompany("ep-revoke-victim");
    const foreign = await errorProject(other.companyId);
    await expectError(
      await as(undefined, `${base}/error-projects/${foreign.id}`, { method: "DELETE" }),
      404,
      "ERROR_PROJECT_NOT_FOUND",
    );
    await expectError(
      await as(member, `${base}/error-projects/${project.id}`, { method: "DELETE" }),
      403,
      "FORBIDDEN",
    );
    const rows = await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM error_projects WHERE revoked_at IS NOT NULL AND id IN (?, ?)",
    )
      .bind(project.id, foreign.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});
