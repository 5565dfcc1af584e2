import { env } from "cloudflare:workers";
import type { ErrorProject } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import { as, errorProject, errorsCompany } from "../error-issues/fixtures.ts";

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function stats(projectId: number, when: number, counts: [number, number, number, number]) {
  await env.CENTRAL_DB.prepare(
    "INSERT INTO error_ingest_stats (project_id, day, events, sessions, malformed, rate_limited) VALUES (?, ?, ?, ?, ?, ?)",
  )
    .bind(projectId, day(when), ...counts)
    .run();
}

describe("listing error projects", () => {
  it("lists the company's projects, revoked ones too, with today's and the last 7 days' ingest counts", async () => {
    const { companyId, base, member } = await errorsCompany("ep-list", { member: true });
    const desktop = await errorProject(companyId);
    const mobile = await errorProject(companyId, { name: "Phone", app: "mobile", platform: "react-native" });
    const other = await errorsCompany("ep-list-other");
    const foreign = await errorProject(other.companyId, { name: "Not yours" });
    const now = Date.now();
    await stats(desktop.id, now, [5, 7, 1, 2]);
    await stats(desktop.id, now - 3 * DAY_MS, [10, 0, 0, 0]);
    await stats(desktop.id, now - 8 * DAY_MS, [1000, 1000, 1000, 1000]);
    await stats(foreign.id, now, [99, 99, 99, 99]);
    expect((await as(undefined, `${base}/error-projects/${mobile.id}`, { method: "DELETE" })).status).toBe(
      200,
    );

    // A member (errors:read) may list.
    const response = await as(member, `${base}/error-projects`);
    expect(response.status, await response.clone().text()).toBe(200);
    const { projects } = await json<{ projects: ErrorProject[] }>(response);
    expect(projects.map((p) => p.name)).toEqual(["Desktop app", "Phone"]);
    expect(projects[0]?.stats).toEqual({
      today: { events: 5, sessions: 7, malformed: 1, rate_limited: 2 },
      last_7_days: { events: 15, sessions: 7, malformed: 1, rate_limited: 2 },
    });
    expect(projects[1]?.revoked_at).not.toBeNull();
    expect(projects[1]?.stats.last_7_days.events).toBe(0);
  });

  it("answers another company's owner as if the company did not exist", async () => {
    const { base } = await errorsCompany("ep-list-victim");
    const attacker = await errorsCompany("ep-list-attacker");
    await expectError(await as(attacker.owner, `${base}/error-projects`), 404, "COMPANY_NOT_FOUND");
  });
});
