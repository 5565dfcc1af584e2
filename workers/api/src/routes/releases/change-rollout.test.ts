import { env } from "cloudflare:workers";
import type { Release } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { installersFor, publishRelease, stagingIdAt } from "../../../test/releases.ts";
import { clearFeedCache } from "../../services/updates/feed.ts";
import { channelFile, joined } from "../updates/fixtures.ts";

describe("heartbeats", () => {
  it("asks installations below the channel's minimum version to update", async () => {
    const company = await registerCompany();
    const machine = await validatedMachine(company.company_code, "old-pc");
    const beat = async () =>
      json<{ force_update: boolean }>(
        await call("/api/company/heartbeat", {
          token: machine.installation.token,
          body: { company_code: company.company_code, machine_id: "old-pc", app_version: "1.0.0" },
        }),
      );
    expect((await beat()).force_update).toBe(false);
    // A minimum version counts only once everyone receives the release.
    const release = await publishRelease("2.0.0", { minimum_version: "1.5.0", rollout: { percent: 10 } });
    expect((await beat()).force_update).toBe(false);
    await callAsOperator(`/api/admin/releases/${release.id}/rollout`, {
      body: { action: "set", percent: 100 },
    });
    // Publishing tells the company's hub after the response.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await beat()).force_update).toBe(true);
  });
});

describe("staged rollouts", () => {
  it("ramps over time, pauses, halts (everyone back to the previous release), resumes and goes to 100 %", async () => {
    const { auth } = await joined();
    await publishRelease("1.0.0");
    const release = await publishRelease("1.1.0", {
      rollout: { percent: 10, ramp_hours: 10 },
      files: installersFor("1.1.0", 51),
    });
    const versionAt = async (fraction: number) =>
      (await channelFile("latest.yml", auth, { "x-user-staging-id": stagingIdAt(fraction) })).version;
    expect(await versionAt(0.05)).toBe("1.1.0");
    expect(await versionAt(0.5)).toBe("1.0.0");
    // Five hours in: 10 + 90 * 0.5 = 55 %.
    await env.CENTRAL_DB.prepare(
      "UPDATE releases SET rollout_started_at = rollout_started_at - ? WHERE id = ?",
    )
      .bind(5 * 3600 * 1000, release.id)
      .run();
    clearFeedCache(); // the change bypassed the operator routes, which clear it themselves
    const rollout = (path: string, body: unknown) =>
      callAsOperator(`/api/admin/releases/${release.id}/${path}`, { body });
    expect(await versionAt(0.5)).toBe("1.1.0");
    expect(await versionAt(0.6)).toBe("1.0.0");

    const paused = await json<{ release: Release }>(await rollout("rollout", { action: "pause" }));
    expect(paused.release.rollout.state).toBe("paused");
    expect(paused.release.rollout.effective_percent).toBeCloseTo(55, 0);
    expect(await versionAt(0.5)).toBe("1.1.0");

    const halted = await json<{ release: Release }>(await rollout("rollout", { action: "halt" }));
    expect(halted.release.rollout.effective_percent).toBe(0);
    expect(await versionAt(0.01)).toBe("1.0.0");

    const resumed = await json<{ release: Release }>(await rollout("rollout", { action: "resume" }));
    expect(resumed.release.rollout.effective_percent).toBeCloseTo(55, 0);
    expect(await versionAt(0.5)).toBe("1.1.0");
    await expectError(await rollout("rollout", { action: "resume" }), 409, "RELEASE_STATE_CONFLICT");

    await rollout("rollout", { action: "set", percent: 100 });
    expect(await versionAt(1)).toBe("1.1.0");
    await expectError(await rollout("rollout", { action: "set", percent: 101 }), 400, "VALIDATION_FAILED");
  });
});
