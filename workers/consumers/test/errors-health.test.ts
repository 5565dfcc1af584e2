import { env } from "cloudflare:workers";
import { channelTree, heldRollout } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { shouldHalt } from "../src/errors/auto-halt.ts";
import {
  deliverErrors,
  errorProject,
  errorsMessage,
  sessionAggregates,
  sessionUpdate,
} from "./errors-helpers.ts";
import { company } from "./tenants.ts";

const HOUR_S = 3600;

interface ReleaseRow {
  rollout_state: string;
  rollout_percent: number;
  rollout_ramp_seconds: number | null;
  rollout_started_at: number | null;
  halted_by_health_at: number | null;
}

async function publishedRelease(version: string, startedAgoMs: number) {
  const id = `rel-${version}`;
  const startedAt = Date.now() - startedAgoMs;
  await env.CENTRAL_DB.prepare(
    `INSERT INTO releases (id, channel, version, status, rollout_percent, rollout_ramp_seconds, rollout_state,
       rollout_started_at, published_at, health_halt_below, health_min_sessions, updated_at)
     VALUES (?, 'beta', ?, 'published', 10, ?, 'active', ?, ?, 99, 100, ?)`,
  )
    .bind(id, version, 2 * HOUR_S, startedAt, startedAt, startedAt)
    .run();
  return { id, startedAt };
}

const release = (id: string) =>
  env.CENTRAL_DB.prepare(
    "SELECT rollout_state, rollout_percent, rollout_ramp_seconds, rollout_started_at, halted_by_health_at FROM releases WHERE id = ?",
  )
    .bind(id)
    .first<ReleaseRow>();

describe("release health and the automatic halt", () => {
  it("halts only when the crash-free rate is strictly below the threshold", () => {
    const limits = { haltBelow: 99, minSessions: 100 };
    expect(shouldHalt({ sessions: 99, crashed: 5 }, limits)).toBe(false);
    expect(shouldHalt({ sessions: 100, crashed: 1 }, limits)).toBe(false);
    expect(shouldHalt({ sessions: 100, crashed: 2 }, limits)).toBe(true);
    // 99.9 % of 1000 is exactly 999 crash-free sessions: not below, whatever floating point says.
    expect(shouldHalt({ sessions: 1000, crashed: 1 }, { haltBelow: 99.9, minSessions: 1 })).toBe(false);
    expect(shouldHalt({ sessions: 1000, crashed: 2 }, { haltBelow: 99.9, minSessions: 1 })).toBe(true);
  });

  it("sums desktop sessions of every company per version and halts the rollout as an operator would", async () => {
    const acme = await company("TENANT_DB_0001", 0);
    const globex = await company("TENANT_DB_0002", 0);
    const acmeProject = await errorProject(acme.id, "desktop");
    const globexProject = await errorProject(globex.id, "desktop");
    const { id } = await publishedRelease("2.0.0", 30 * 60_000);
    /** One more session of 2.0.0 at Acme, which crashed. */
    const crash = (did?: string) =>
      deliverErrors([
        errorsMessage(
          acme.id,
          acmeProject,
          [sessionUpdate({ release: "nexus@2.0.0", status: "crashed", did })],
          "desktop",
        ),
      ]);

    // 99 sessions, one crashed: below 99 % but under the minimum of 100 sessions.
    await deliverErrors([
      errorsMessage(
        acme.id,
        acmeProject,
        [sessionAggregates("nexus@2.0.0", [{ exited: 60, did: "a1" }])],
        "desktop",
      ),
      errorsMessage(
        globex.id,
        globexProject,
        [
          sessionAggregates("nexus@v2.0.0", [{ exited: 38 }]),
          sessionUpdate({ release: "2.0.0", status: "crashed", did: "g1" }),
        ],
        "desktop",
      ),
    ]);
    expect((await release(id))?.rollout_state).toBe("active");

    // 100 sessions, one crashed: exactly 99 % — the threshold is not crossed.
    await deliverErrors([
      errorsMessage(acme.id, acmeProject, [sessionUpdate({ release: "nexus@2.0.0", did: "a1" })], "desktop"),
    ]);
    const health = await env.CENTRAL_DB.prepare(
      "SELECT * FROM release_health WHERE version = '2.0.0'",
    ).first();
    expect(health).toMatchObject({
      sessions: 100,
      crashed_sessions: 1,
      errored_sessions: 1,
      users: 2,
      crashed_users: 1,
    });
    expect((await release(id))?.rollout_state).toBe("active");

    // One more crash: 101 sessions, 2 crashed (98.02 %) — halted.
    const before = await release(id);
    await crash("a2");
    const after = await release(id);
    if (!before || !after?.halted_by_health_at) throw new Error("the release was not halted");
    const operatorHalt = heldRollout(
      {
        rolloutPercent: before.rollout_percent,
        rolloutRampSeconds: before.rollout_ramp_seconds,
        rolloutState: "active",
        rolloutStartedAt: before.rollout_started_at === null ? null : new Date(before.rollout_started_at),
      },
      "halted",
      after.halted_by_health_at,
    );
    expect(after).toMatchObject({
      rollout_state: "halted",
      rollout_percent: operatorHalt.rolloutPercent,
      rollout_ramp_seconds: operatorHalt.rolloutRampSeconds,
      rollout_started_at: null,
    });
    expect(after.rollout_percent).toBeGreaterThan(10);
    expect(after.rollout_percent).toBeLessThan(100);

    const audit = await env.CENTRAL_DB.prepare(
      "SELECT company_id, actor_type, actor_id, action, target_id, details FROM audit_logs WHERE target_id = ?",
    )
      .bind(id)
      .all<{ details: string }>();
    expect(audit.results).toHaveLength(1);
    expect(audit.results[0]).toMatchObject({
      company_id: null,
      actor_type: "system",
      actor_id: "release-health",
      action: "release.rollout_halt",
    });
    expect(JSON.parse(audit.results[0]?.details ?? "{}")).toMatchObject({
      reason: "health",
      sessions: 101,
      crashed_sessions: 2,
      health_halt_below: 99,
    });

    const channels = channelTree(
      (
        await env.CENTRAL_DB.prepare("SELECT name, parent FROM update_channels").all<{
          name: string;
          parent: string | null;
        }>()
      ).results,
    ).receivers("beta");
    const event = await env.CENTRAL_DB.prepare(
      "SELECT company_id, data, channels FROM webhook_events WHERE type = 'rollout.halted'",
    ).first<{ company_id: string | null; data: string; channels: string }>();
    expect(event?.company_id).toBeNull();
    expect(JSON.parse(event?.channels ?? "[]")).toEqual(channels);
    expect(JSON.parse(event?.data ?? "{}")).toEqual({
      release_id: id,
      channel: "beta",
      version: "2.0.0",
      reason: "health",
      crash_free_sessions: 98.02,
    });

    // More crashes change nothing: halted once, one event, one audit row.
    await crash();
    expect(await release(id)).toEqual(after);
    const events = await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM webhook_events WHERE type = 'rollout.halted'",
    ).first<{ n: number }>();
    expect(events?.n).toBe(1);
    const audits = await env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM audit_logs WHERE target_id = ?")
      .bind(id)
      .first<{ n: number }>();
    expect(audits?.n).toBe(1);

    // The operator resumes it: their decision stands, the next crash does not halt it again.
    await env.CENTRAL_DB.prepare(
      "UPDATE releases SET rollout_state = 'active', rollout_started_at = ? WHERE id = ?",
    )
      .bind(Date.now(), id)
      .run();
    await crash();
    expect((await release(id))?.rollout_state).toBe("active");
  });
});
