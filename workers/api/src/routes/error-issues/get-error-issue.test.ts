import type { ErrorIssueDetail } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import {
  as,
  errorsCompany,
  insertEvents,
  insertIssueHours,
  insertIssueReleases,
  insertIssues,
} from "./fixtures.ts";

const HOUR = 3_600_000;

describe("one error issue", () => {
  it("comes with its latest event, releases, 14 days of occurrences and top tags", async () => {
    const { companyId, base, member } = await errorsCompany("ei-get", { member: true });
    const [issue] = await insertIssues(companyId, [{ projectId: 3, timesSeen: 6 }]);
    if (!issue) throw new Error("fixture");
    const now = Date.now();
    const currentHour = Math.floor(now / HOUR) * HOUR;
    await insertIssueHours(companyId, [
      { issueId: issue.id, hour: currentHour, count: 2 },
      { issueId: issue.id, hour: currentHour - 2 * HOUR, count: 3 },
      { issueId: issue.id, hour: currentHour - 20 * 24 * HOUR, count: 100 },
    ]);
    await insertIssueReleases(companyId, [
      {
        issueId: issue.id,
        release: "desktop@1.0.0",
        firstSeen: now - 5000,
        lastSeen: now - 4000,
        timesSeen: 2,
      },
      {
        issueId: issue.id,
        release: "desktop@1.1.0",
        firstSeen: now - 3000,
        lastSeen: now - 1000,
        timesSeen: 4,
      },
    ]);
    const events = await insertEvents(companyId, issue, [
      { receivedAt: now - 3000, data: { tags: { os: "Windows" }, release: "desktop@1.0.0" } },
      { receivedAt: now - 2000, data: { tags: { os: "macOS" }, release: "desktop@1.1.0" } },
      { receivedAt: now - 1000, data: { tags: { os: "Windows", locale: "de" }, release: "desktop@1.1.0" } },
    ]);
    const response = await as(member, `${base}/error-issues/${issue.id}`);
    expect(response.status, await response.clone().text()).toBe(200);
    const detail = await json<ErrorIssueDetail>(response);
    expect(detail.issue).toMatchObject({ id: issue.id, project_id: 3, times_seen: 6 });
    expect(detail.latest_event?.event_id).toBe(events[2]?.eventId);
    expect(detail.latest_event?.data.exceptions[0]?.frames[0]?.function).toBe("renderApp");
    expect(detail.latest_event?.data.breadcrumbs).toHaveLength(1);
    expect(detail.releases.map((r) => [r.release, r.times_seen])).toEqual([
      ["desktop@1.1.0", 4],
      ["desktop@1.0.0", 2],
    ]);
    expect(detail.occurrences.hourly).toHaveLength(14 * 24);
    expect(detail.occurrences.hourly.at(-1)).toEqual({
      start: new Date(currentHour).toISOString(),
      count: 2,
    });
    expect(detail.occurrences.hourly.at(-3)?.count).toBe(3);
    expect(detail.occurrences.hourly.reduce((sum, b) => sum + b.count, 0)).toBe(5);
    expect(detail.occurrences.daily).toHaveLength(14);
    expect(detail.occurrences.daily.reduce((sum, b) => sum + b.count, 0)).toBe(5);
    expect(detail.tags_sample_size).toBe(3);
    expect(detail.tags.find((t) => t.key === "os")).toEqual({
      key: "os",
      total: 3,
      values: [
        { value: "Windows", count: 2 },
        { value: "macOS", count: 1 },
      ],
    });
    expect(detail.tags.find((t) => t.key === "release")?.values[0]).toEqual({
      value: "desktop@1.1.0",
      count: 2,
    });
    expect(detail.tags.find((t) => t.key === "locale")?.total).toBe(1);
  });

  it("answers an issue without events with no latest event", async () => {
    const { companyId, base } = await errorsCompany("ei-get-empty");
    const [issue] = await insertIssues(companyId, [{}]);
    const detail = await json<ErrorIssueDetail>(await as(undefined, `${base}/error-issues/${issue?.id}`));
    expect(detail.latest_event).toBeNull();
    expect(detail.tags).toEqual([]);
  });

  it("answers 404 for another company's issue id, and the victim's company is not found for the attacker", async () => {
    const victim = await errorsCompany("ei-get-victim");
    const [secret] = await insertIssues(victim.companyId, [{ title: "Secret crash" }]);
    const attacker = await errorsCompany("ei-get-attacker");
    // The attack: the victim's issue id under the attacker's own company.
    await expectError(
      await as(attacker.owner, `${attacker.base}/error-issues/${secret?.id}`),
      404,
      "ERROR_ISSUE_NOT_FOUND",
    );
    await expectError(
      await as(attacker.owner, `${victim.base}/error-issues/${secret?.id}`),
      404,
      "COMPANY_NOT_FOUND",
    );
    await expectError(
      await as(undefined, `${attacker.base}/error-issues/nope`),
      404,
      "ERROR_ISSUE_NOT_FOUND",
    );
  });
});
