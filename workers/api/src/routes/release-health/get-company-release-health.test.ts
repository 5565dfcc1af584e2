import type { CompanyReleaseHealth } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { expectError, json } from "../../../test/helpers.ts";
import {
  as,
  errorProject,
  errorsCompany,
  insertSessions,
  insertSessionUsers,
} from "../error-issues/fixtures.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("a company's release health", () => {
  it("gives crash-free sessions and users per project and release, with 14 days by day", async () => {
    const { companyId, base, member } = await errorsCompany("rh-company", { member: true });
    const desktop = await errorProject(companyId);
    const mobile = await errorProject(companyId, { name: "Phone", app: "mobile", platform: "react-native" });
    const today = Math.floor(Date.now() / DAY) * DAY;
    await insertSessions(companyId, [
      {
        projectId: desktop.id,
        release: "desktop@1.0.0",
        environment: "production",
        hour: today - 20 * DAY,
        started: 100,
        errored: 0,
        crashed: 0,
        abnormal: 0,
      },
      {
        projectId: desktop.id,
        release: "desktop@1.0.0",
        environment: "production",
        hour: today - DAY + HOUR,
        started: 100,
        errored: 10,
        crashed: 4,
        abnormal: 1,
      },
      {
        projectId: desktop.id,
        release: "desktop@1.0.0",
        environment: "staging",
        hour: today + HOUR,
        started: 50,
        errored: 5,
        crashed: 1,
        abnormal: 0,
      },
      {
        projectId: desktop.id,
        release: "desktop@1.1.0",
        environment: "production",
        hour: today + 2 * HOUR,
        started: 10,
        errored: 0,
        crashed: 0,
        abnormal: 0,
      },
      {
        projectId: mobile.id,
        release: "mobile@2.0.0",
        environment: "",
        hour: today - 2 * DAY,
        started: 8,
        errored: 2,
        crashed: 2,
        abnormal: 0,
      },
    ]);
    await insertSessionUsers(companyId, [
      { projectId: desktop.id, release: "desktop@1.0.0", userKey: "u1", crashed: true },
      { projectId: desktop.id, release: "desktop@1.0.0", userKey: "u2", crashed: false },
      { projectId: desktop.id, release: "desktop@1.0.0", userKey: "u3", crashed: false },
      { projectId: desktop.id, release: "desktop@1.0.0", userKey: "u4", crashed: false },
      { projectId: desktop.id, release: "desktop@1.1.0", userKey: "u1", crashed: false },
    ]);
    const other = await errorsCompany("rh-company-other");
    await insertSessions(other.companyId, [
      { projectId: desktop.id, release: "desktop@1.0.0", environment: "", hour: today, started: 9999 },
    ]);
    const get = async (query = "") => {
      const response = await as(member, `${base}/release-health${query}`);
      expect(response.status, await response.clone().text()).toBe(200);
      return (await json<{ releases: CompanyReleaseHealth[] }>(response)).releases;
    };
    const all = await get();
    expect(all.map((r) => r.release)).toEqual(["desktop@1.1.0", "desktop@1.0.0", "mobile@2.0.0"]);
    const v100 = all[1];
    expect(v100).toMatchObject({
      project_id: desktop.id,
      project_name: "Desktop app",
      app: "desktop",
      sessions: 250,
      errored: 15,
      crashed: 5,
      abnormal: 1,
      users: 4,
      crashed_users: 1,
      crash_free_sessions: 98,
      crash_free_users: 75,
      last_session_at: new Date(today + HOUR).toISOString(),
    });
    expect(v100?.days).toHaveLength(14);
    expect(v100?.days.at(-1)).toEqual({
      day: new Date(today).toISOString().slice(0, 10),
      sessions: 50,
      errored: 5,
      crashed: 1,
      abnormal: 0,
      crash_free_sessions: 98,
    });
    expect(v100?.days.at(-2)).toMatchObject({ sessions: 100, crashed: 4, crash_free_sessions: 96 });
    expect(v100?.days.at(-3)).toMatchObject({ sessions: 0, crash_free_sessions: null });
    expect(all[2]).toMatchObject({
      app: "mobile",
      crash_free_sessions: 75,
      users: 0,
      crash_free_users: null,
    });

    const production = await get("?environment=production");
    expect(production.find((r) => r.release === "desktop@1.0.0")).toMatchObject({
      sessions: 200,
      crashed: 4,
    });
    expect((await get(`?project_id=${mobile.id}`)).map((r) => r.release)).toEqual(["mobile@2.0.0"]);
    expect((await get("?limit=1")).map((r) => r.release)).toEqual(["desktop@1.1.0"]);
    // Another company's project id finds nothing here.
    const foreign = await errorProject(other.companyId);
    expect(await get(`?project_id=${foreign.id}`)).toEqual([]);
  });

  it("refuses bad queries; another company's owner finds no company", async () => {
    const { base } = await errorsCompany("rh-company-refused");
    await expectError(await as(undefined, `${base}/release-health?limit=0`), 400, "VALIDATION_FAILED");
    await expectError(await as(undefined, `${base}/release-health?project_id=x`), 400, "VALIDATION_FAILED");
    const attacker = await errorsCompany("rh-company-attacker");
    await expectError(await as(attacker.owner, `${base}/release-health`), 404, "COMPANY_NOT_FOUND");
  });
});
