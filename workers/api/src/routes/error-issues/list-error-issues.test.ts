import type { ErrorIssue } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { as, errorsCompany, insertEvents, insertIssueReleases, insertIssues } from "./fixtures.ts";

interface Page {
  issues: ErrorIssue[];
  next_cursor: string | null;
}

describe("listing error issues", () => {
  it("filters by status, project, release, platform and environment, sorts and pages", async () => {
    const { companyId, base, member } = await errorsCompany("ei-list", { member: true });
    const t = Date.now() - 100_000;
    const [a, b, c, d] = await insertIssues(companyId, [
      { projectId: 1, lastSeen: t + 4, firstSeen: t, timesSeen: 10, usersSeen: 1 },
      { projectId: 1, lastSeen: t + 3, firstSeen: t + 3, timesSeen: 40, usersSeen: 9, status: "resolved" },
      { projectId: 2, lastSeen: t + 2, firstSeen: t + 1, timesSeen: 20, usersSeen: 3, platform: "cocoa" },
      { projectId: 2, lastSeen: t + 1, firstSeen: t + 2, timesSeen: 20, usersSeen: 5, status: "ignored" },
    ]);
    if (!a || !b || !c || !d) throw new Error("fixtures");
    await insertIssueReleases(companyId, [
      { issueId: a.id, release: "desktop@1.0.0", firstSeen: t, lastSeen: t, timesSeen: 1 },
      { issueId: c.id, release: "desktop@1.1.0", firstSeen: t, lastSeen: t, timesSeen: 1 },
      { issueId: d.id, release: "desktop@1.1.0", firstSeen: t, lastSeen: t, timesSeen: 1 },
    ]);
    await insertEvents(companyId, b, [{ receivedAt: t, data: { environment: "staging" } }]);
    await insertEvents(companyId, c, [{ receivedAt: t, data: { environment: "production" } }]);
    const list = async (query = "") => {
      const response = await as(member, `${base}/error-issues${query}`);
      expect(response.status, await response.clone().text()).toBe(200);
      return json<Page>(response);
    };
    const ids = (page: Page) => page.issues.map((issue) => issue.id);

    const all = await list();
    expect(ids(all)).toEqual([a.id, b.id, c.id, d.id]);
    expect(all.issues[0]).toMatchObject({
      id: a.id,
      project_id: 1,
      title: a.title,
      status: "unresolved",
      times_seen: 10,
      last_seen: new Date(t + 4).toISOString(),
      resolved_in_release: null,
    });
    expect(ids(await list("?status=unresolved"))).toEqual([a.id, c.id]);
    expect(ids(await list("?project_id=2"))).toEqual([c.id, d.id]);
    expect(ids(await list("?platform=cocoa"))).toEqual([c.id]);
    expect(ids(await list("?release=desktop@1.1.0"))).toEqual([c.id, d.id]);
    expect(ids(await list("?release=desktop@1.1.0&status=ignored"))).toEqual([d.id]);
    expect(ids(await list("?environment=staging"))).toEqual([b.id]);
    expect(ids(await list("?release=nothing"))).toEqual([]);
    expect(ids(await list("?sort=times_seen"))).toEqual([b.id, ...[c.id, d.id].sort().reverse(), a.id]);
    expect(ids(await list("?sort=users_seen"))).toEqual([b.id, d.id, c.id, a.id]);
    expect(ids(await list("?sort=first_seen"))).toEqual([b.id, d.id, c.id, a.id]);

    // Pages through ties (two issues seen 20 times) without losing or repeating one.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`?sort=times_seen&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...ids(page));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids(await list("?sort=times_seen")));
  });

  it("refuses bad filters and cursors; another company's owner finds no company", async () => {
    const { base } = await errorsCompany("ei-list-refused");
    for (const query of ["?status=open", "?sort=title", "?limit=0", "?project_id=x", "?cursor=garbage"]) {
      await expectError(await as(undefined, `${base}/error-issues${query}`), 400, "VALIDATION_FAILED");
    }
    const attacker = await errorsCompany("ei-list-attacker");
    await expectError(await as(attacker.owner, `${base}/error-issues`), 404, "COMPANY_NOT_FOUND");
  });

  it("shows a company only its own issues", async () => {
    const victim = await errorsCompany("ei-list-victim");
    await insertIssues(victim.companyId, [{ title: "Secret crash" }]);
    const attacker = await errorsCompany("ei-list-own");
    const page = await json<Page>(await as(attacker.owner, `${attacker.base}/error-issues`));
    expect(page.issues).toEqual([]);
  });
});
