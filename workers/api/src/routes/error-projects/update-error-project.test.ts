import type { ErrorProject } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { as, auditRows, errorProject, errorsCompany } from "../error-issues/fixtures.ts";

describe("renaming an error project", () => {
  it("changes the name, not the DSN, and audits the change once", async () => {
    const { companyId, base, owner } = await errorsCompany("ep-rename");
    const project = await errorProject(companyId);
    const rename = (name: string) =>
      as(owner, `${base}/error-projects/${project.id}`, { method: "PATCH", body: { name } });
    const response = await rename("  Desktop (beta)  ");
    expect(response.status, await response.clone().text()).toBe(200);
    const renamed = (await json<{ project: ErrorProject }>(response)).project;
    expect(renamed.name).toBe("Desktop (beta)");
    expect(renamed.dsn).toBe(project.dsn);
    expect((await rename("Desktop (beta)")).status).toBe(200);
    const audits = await auditRows(companyId, "error_project.renamed");
    expect(audits.map((a) => a.details)).toEqual([{ name: "Desktop (beta)", previous_name: "Desktop app" }]);
  });

  it("answers 404 for unknown and other companies' projects, 403 to members, 400 to bad names", async () => {
    const { companyId, base, member } = await errorsCompany("ep-rename-refused", { member: true });
    const project = await errorProject(companyId);
    const other = await errorsCompany("ep-rename-other");
    const foreign = await errorProject(other.companyId, { name: "Theirs" });
    const patch = (id: number | string, body: unknown, cookie?: string) =>
      as(cookie, `${base}/error-projects/${id}`, { method: "PATCH", body });
    // The attack: the victim's project id under the attacker's own company path.
    await expectError(await patch(foreign.id, { name: "Pwned" }), 404, "ERROR_PROJECT_NOT_FOUND");
    await expectError(await patch(999_999, { name: "x" }), 404, "ERROR_PROJECT_NOT_FOUND");
    await expectError(await patch("abc", { name: "x" }), 400, "VALIDATION_FAILED");
    await expectError(await patch(project.id, { name: "" }), 400, "VALIDATION_FAILED");
    await expectError(await patch(project.id, { name: "x", app: "mobile" }), 400, "VALIDATION_FAILED");
    await expectError(await patch(project.id, { name: "x" }, member), 403, "FORBIDDEN");
    const theirs = await json<{ projects: ErrorProject[] }>(
      await as(other.owner, `${other.base}/error-projects`),
    );
    expect(theirs.projects.map((p) => p.name)).toEqual(["Theirs"]);
  });
});
