import type { ErrorIssue } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { as, auditRows, errorsCompany, insertIssues } from "./fixtures.ts";

describe("changing an error issue's state", () => {
  it("resolves in a release, ignores and reopens, recording what the consumer needs and an audit row", async () => {
    const { companyId, base, owner } = await errorsCompany("ei-update");
    const [issue] = await insertIssues(companyId, [{ title: "TypeError: x is undefined" }]);
    const patch = async (body: unknown) => {
      const response = await as(owner, `${base}/error-issues/${issue?.id}`, { method: "PATCH", body });
      expect(response.status, await response.clone().text()).toBe(200);
      return (await json<{ issue: ErrorIssue }>(response)).issue;
    };
    const before = Date.now();
    const resolved = await patch({ status: "resolved", resolved_in_release: "desktop@1.2.0" });
    expect(resolved).toMatchObject({ status: "resolved", resolved_in_release: "desktop@1.2.0" });
    expect(Date.parse(resolved.resolved_at ?? "")).toBeGreaterThanOrEqual(before);

    const ignored = await patch({ status: "ignored" });
    expect(ignored).toMatchObject({ status: "ignored", resolved_in_release: null, resolved_at: null });
    const plain = await patch({ status: "resolved" });
    expect(plain).toMatchObject({ status: "resolved", resolved_in_release: null });
    const reopened = await patch({ status: "unresolved" });
    expect(reopened).toMatchObject({ status: "unresolved", resolved_at: null });

    const audits = await auditRows(companyId, "error_issue.updated");
    expect(audits.map((a) => a.details.status)).toEqual(["resolved", "ignored", "resolved", "unresolved"]);
    expect(audits[0]).toMatchObject({ target_type: "error_issue", target_id: issue?.id });
    expect(audits[0]?.details).toMatchObject({
      title: "TypeError: x is undefined",
      previous_status: "unresolved",
      resolved_in_release: "desktop@1.2.0",
    });
    // The audit log names the issue by its title.
    const log = await json<{ entries: { action: string; target_label?: string }[] }>(
      await as(undefined, `${base}/audit-log?limit=50`),
    );
    const labels = log.entries.filter((e) => e.action === "error_issue.updated").map((e) => e.target_label);
    expect(labels).toEqual(Array(4).fill("TypeError: x is undefined"));
  });

  it("refuses bad bodies, members (read only), and another company's issue", async () => {
    const { companyId, base, member } = await errorsCompany("ei-update-refused", { member: true });
    const [issue] = await insertIssues(companyId, [{}]);
    const patch = (id: string | undefined, body: unknown, cookie?: string) =>
      as(cookie, `${base}/error-issues/${id}`, { method: "PATCH", body });
    for (const bad of [
      { status: "open" },
      {},
      { status: "ignored", resolved_in_release: "desktop@1.0.0" },
      { status: "resolved", resolved_in_release: "" },
      { status: "resolved", times_seen: 0 },
    ]) {
      await expectError(await patch(issue?.id, bad), 400, "VALIDATION_FAILED");
    }
    await expectError(await patch(issue?.id, { status: "ignored" }, member), 403, "FORBIDDEN");

    const victim = await errorsCompany("ei-update-victim");
    const [theirs] = await insertIssues(victim.companyId, [{}]);
    await expectError(await patch(theirs?.id, { status: "ignored" }), 404, "ERROR_ISSUE_NOT_FOUND");
    const untouched = await json<{ issue: { status: string } }>(
      await as(victim.owner, `${victim.base}/error-issues/${theirs?.id}`),
    );
    expect(untouched.issue.status).toBe("unresolved");
  });
});
