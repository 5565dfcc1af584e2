// The automatic halt: a published release of the desktop app whose crash-free sessions rate, over
// every company's sessions of its version, is strictly below the release's `health_halt_below` once
// `health_min_sessions` sessions were seen, is halted exactly as an operator's halt does it (the
// rollout frozen where it is, from the shared rules in @nexus/contracts), marked halted_by_health_at,
// audited, and announced with `rollout.halted` (reason `health`) to the companies that receive it.
// A release is halted by health once: after an operator resumes it, it is theirs to watch.
// Decided from the stored totals, not from a batch, so a retry or a late batch converges; the guarded
// update makes a release halt once however many batches see it unhealthy at once.
import {
  channelTree,
  heldRollout,
  type RolloutFields,
  type WebhookEventData,
  webhookEventCatalogue,
} from "@nexus/contracts";
import { newId } from "@nexus/db";
import { releaseHealth, releases, updateChannels, webhookEvents } from "@nexus/db/central";
import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { auditIfPreviousChanged } from "../audit.ts";
import { type Orm, orm } from "../db.ts";

/** The crash-free sessions rate in percent: 100 × (1 − crashed / sessions). */
export function crashFreeSessions(sessions: number, crashed: number): number {
  return sessions > 0 ? 100 * (1 - crashed / sessions) : 100;
}

/**
 * Whether a release with this health halts. Compared in integers scaled by the threshold, not with
 * the rate's floating-point division, so a rate exactly at the threshold never halts by rounding.
 */
export function shouldHalt(
  health: { sessions: number; crashed: number },
  release: { haltBelow: number; minSessions: number },
): boolean {
  if (health.sessions < Math.max(1, release.minSessions)) return false;
  return 100 * (health.sessions - health.crashed) < release.haltBelow * health.sessions;
}

type Candidate = RolloutFields & {
  id: string;
  channel: string;
  version: string;
  haltBelow: number;
  minSessions: number;
  sessions: number;
  crashed: number;
};

async function candidates(db: Orm, versions: string[]): Promise<Candidate[]> {
  const rows = await db
    .select({
      id: releases.id,
      channel: releases.channel,
      version: releases.version,
      rolloutPercent: releases.rolloutPercent,
      rolloutRampSeconds: releases.rolloutRampSeconds,
      rolloutState: releases.rolloutState,
      rolloutStartedAt: releases.rolloutStartedAt,
      haltBelow: releases.healthHaltBelow,
      minSessions: releases.healthMinSessions,
      sessions: releaseHealth.sessions,
      crashed: releaseHealth.crashedSessions,
    })
    .from(releases)
    .innerJoin(releaseHealth, eq(releaseHealth.version, releases.version))
    .where(
      and(
        sql`${releases.version} IN (SELECT value FROM json_each(${JSON.stringify(versions)}))`,
        eq(releases.status, "published"),
        inArray(releases.rolloutState, ["active", "paused"]),
        isNotNull(releases.healthHaltBelow),
        // Once only: an operator who resumes a release the health halted has overruled it, and the
        // totals (still below the threshold) would otherwise halt it again with the next session.
        isNull(releases.haltedByHealthAt),
      ),
    );
  return rows.flatMap(({ haltBelow, ...row }) =>
    haltBelow !== null && shouldHalt(row, { haltBelow, minSessions: row.minSessions })
      ? [{ ...row, haltBelow }]
      : [],
  );
}

/**
 * The outbox row, written only if the batch's previous statement (the guarded halt) changed a row.
 * Raw SQL inside drizzle's insert … select: drizzle's values() takes no condition. Every column, in
 * the table's order.
 */
function haltedEventIfPreviousChanged(
  db: Orm,
  id: string,
  data: WebhookEventData<"rollout.halted">,
  channels: string[],
  now: number,
) {
  return db.insert(webhookEvents).select(
    sql`SELECT ${id}, NULL, 'rollout.halted', ${JSON.stringify(data)}, ${JSON.stringify(channels)}, NULL, ${now}, NULL
        WHERE changes() > 0`,
  );
}

/** Halts the unhealthy releases of `versions`; returns the ids of the outbox events to announce. */
export async function haltUnhealthyReleases(
  central: D1Database,
  versions: string[],
  now = Date.now(),
): Promise<string[]> {
  if (versions.length === 0) return [];
  const db = orm(central);
  const unhealthy = await candidates(db, versions);
  if (unhealthy.length === 0) return [];
  const tree = channelTree(
    await db.select({ name: updateChannels.name, parent: updateChannels.parent }).from(updateChannels),
  );
  const eventIds: string[] = [];
  for (const release of unhealthy) {
    const rate = crashFreeSessions(release.sessions, release.crashed);
    const data = webhookEventCatalogue["rollout.halted"].data.parse({
      release_id: release.id,
      channel: release.channel,
      version: release.version,
      reason: "health",
      crash_free_sessions: Math.round(rate * 100) / 100,
    });
    const eventId = newId(now);
    await db.batch([
      db
        .update(releases)
        .set({
          ...heldRollout(release, "halted", now),
          haltedByHealthAt: new Date(now),
          updatedAt: new Date(now),
        })
        // The state read is the state frozen: a concurrent change (an operator's, another batch's halt)
        // makes this a no-op, and then neither event nor audit row is written.
        .where(
          and(
            eq(releases.id, release.id),
            eq(releases.rolloutState, release.rolloutState),
            eq(releases.status, "published"),
          ),
        ),
      haltedEventIfPreviousChanged(db, eventId, data, tree.receivers(release.channel), now),
      auditIfPreviousChanged(db, {
        companyId: null,
        actorId: "release-health",
        action: "release.rollout_halt",
        targetType: "release",
        targetId: release.id,
        details: sql`${JSON.stringify({
          reason: "health",
          version: release.version,
          channel: release.channel,
          crash_free_sessions: data.crash_free_sessions,
          sessions: release.sessions,
          crashed_sessions: release.crashed,
          health_halt_below: release.haltBelow,
          health_min_sessions: release.minSessions,
        })}`,
        now,
      }),
    ]);
    eventIds.push(eventId);
    console.warn(
      JSON.stringify({
        level: "warn",
        event: "rollout_halted_by_health",
        releaseId: release.id,
        version: release.version,
        crashFreeSessions: data.crash_free_sessions,
        sessions: release.sessions,
      }),
    );
  }
  return eventIds;
}
