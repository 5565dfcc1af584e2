import { env } from "cloudflare:workers";
import type { ReleaseHealth } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { publishRelease } from "../../../test/releases.ts";
import { companyOwner } from "../../../test/users.ts";

describe("operator: a release's health", () => {
  it("answers the version's platform-wide sessions, crash-free rates and the halt threshold", async () => {
    const release = await publishRelease("3.1.0");
    const path = `/api/admin/releases/${release.id}/health`;
    const before = await json<{ health: ReleaseHealth }>(await callAsOperator(path));
    expect(before.health).toEqual({
      release_id: release.id,
      version: "3.1.0",
      health: null,
      updated_at: null,
      health_halt_below: null,
      health_min_sessions: 100,
      halted_by_health_at: null,
    });
    const updatedAt = Date.now();
    await env.CENTRAL_DB.prepare(
      "INSERT INTO release_health (version, sessions, errored_sessions, crashed_sessions, abnormal_sessions, users, crashed_users, updated_at) VALUES ('3.1.0', 400, 30, 12, 3, 80, 6, ?)",
    )
      .bind(updatedAt)
      .run();
    await env.CENTRAL_DB.prepare(
      "UPDATE releases SET health_halt_below = 98, halted_by_health_at = ? WHERE id = ?",
    )
      .bind(updatedAt, release.id)
      .run();
    const response = await callAsOperator(path);
    expect(response.status, await response.clone().text()).toBe(200);
    const { health } = await json<{ health: ReleaseHealth }>(response);
    expect(health).toMatchObject({
      health: {
        sessions: 400,
        errored: 30,
        crashed: 12,
        abnormal: 3,
        users: 80,
        crashed_users: 6,
        crash_free_sessions: 97,
        crash_free_users: 92.5,
      },
      updated_at: new Date(updatedAt).toISOString(),
      health_halt_below: 98,
      halted_by_health_at: new Date(updatedAt).toISOString(),
    });
  });

  it("is for operators only, and a 404 for an unknown release", async () => {
    await expectError(await callAsOperator("/api/admin/releases/nope/health"), 404, "RELEASE_NOT_FOUND");
    const release = await publishRelease("3.1.1");
    await expectError(await call(`/api/admin/releases/${release.id}/health`), 401, "UNAUTHORIZED");
    const company = await registerCompany({ admin_email: "owner@rh-op.example" });
    const owner = await companyOwner(company.company_id, "owner@rh-op.example");
    const refused = await call(`/api/admin/releases/${release.id}/health`, { headers: { cookie: owner } });
    expect([401, 403]).toContain(refused.status);
  });
});
