import type { ErrorEvent } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { as, errorsCompany, insertEvents, insertIssues } from "./fixtures.ts";

interface Page {
  events: ErrorEvent[];
  next_cursor: string | null;
}

describe("an issue's events", () => {
  it("are listed newest first with their data, and paged", async () => {
    const { companyId, base, member } = await errorsCompany("ee-list", { member: true });
    const [issue, other] = await insertIssues(companyId, [{ projectId: 4 }, { projectId: 4 }]);
    if (!issue || !other) throw new Error("fixtures");
    const t = Date.now() - 10_000;
    const events = await insertEvents(companyId, issue, [
      { receivedAt: t },
      { receivedAt: t + 1, data: { message: "second", release: "desktop@2.0.0" } },
      { receivedAt: t + 1 },
      { receivedAt: t + 2 },
    ]);
    await insertEvents(companyId, other, [{ receivedAt: t + 5 }]);
    const list = async (query = "") => {
      const response = await as(member, `${base}/error-issues/${issue.id}/events${query}`);
      expect(response.status, await response.clone().text()).toBe(200);
      return json<Page>(response);
    };
    const all = await list();
    expect(all.events).toHaveLength(4);
    expect(all.events[0]?.event_id).toBe(events[3]?.eventId);
    expect(all.events.at(-1)?.event_id).toBe(events[0]?.eventId);
    const second = all.events.find((e) => e.data.message === "second");
    expect(second).toMatchObject({ issue_id: issue.id, project_id: 4, release: "desktop@2.0.0" });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = await list(`?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...page.events.map((e) => e.event_id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(all.events.map((e) => e.event_id));
  });

  it("answers 404 for another company's issue and 400 for a bad cursor", async () => {
    const victim = await errorsCompany("ee-list-victim");
    const [secret] = await insertIssues(victim.companyId, [{}]);
    if (!secret) throw new Error("fixture");
    await insertEvents(victim.companyId, secret, [{ receivedAt: Date.now() }]);
    const attacker = await errorsCompany("ee-list-attacker");
    await expectError(
      await as(attacker.owner, `${attacker.base}/error-issues/${secret.id}/events`),
      404,
      "ERROR_ISSUE_NOT_FOUND",
    );
    await expectError(
      await as(victim.owner, `${victim.base}/error-issues/${secret.id}/events?cursor=1.a;drop`),
      400,
      "VALIDATION_FAILED",
    );
  });
});
