// Release health: crash-free sessions and users per release. A company's numbers come from its
// tenant database (sessions per project, release, environment and hour; users per release); the
// operator's come from central release_health, summed over every company's desktop sessions.
import type {
  CompanyReleaseHealth,
  CompanyReleaseHealthQuerySchema,
  ReleaseHealth,
  ReleaseHealthCounts,
} from "@nexus/contracts";
import { errorProjects, releaseHealth } from "@nexus/db/central";
import { errorSessions, errorSessionUsers } from "@nexus/db/tenant";
import { and, count, desc, eq, gte, inArray, max, sql, sum } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv, CentralDb } from "../../env.ts";
import { loadRelease } from "../updates/releases.ts";
import { errorsDb } from "./issues.ts";

const DAY_MS = 86_400_000;
const WINDOW_DAYS = 14;

/** `100 * (1 - bad / total)` with two decimals, kept in 0–100; null with nothing counted. */
export function crashFreePercent(bad: number, total: number): number | null {
  if (total <= 0) return null;
  const percent = 100 * (1 - bad / total);
  return Math.round(Math.min(100, Math.max(0, percent)) * 100) / 100;
}

export function healthCounts(sessions: {
  started: number;
  errored: number;
  crashed: number;
  abnormal: number;
  users: number;
  crashedUsers: number;
}): ReleaseHealthCounts {
  return {
    sessions: sessions.started,
    errored: sessions.errored,
    crashed: sessions.crashed,
    abnormal: sessions.abnormal,
    users: sessions.users,
    crashed_users: sessions.crashedUsers,
    crash_free_sessions: crashFreePercent(sessions.crashed, sessions.started),
    crash_free_users: crashFreePercent(sessions.crashedUsers, sessions.users),
  };
}

// SQLite's sum() of an empty group is null and count() comes back as a number; both read as numbers.
const total = (value: string | number | null) => Number(value ?? 0);
const pairKey = (projectId: number, release: string) => `${projectId}\u0000${release}`;

type Query = z.output<typeof CompanyReleaseHealthQuerySchema>;

/** The company's most recently active releases per project, each with its last 14 days by day. */
export async function companyReleaseHealth(
  c: Context<AppEnv>,
  companyId: string,
  query: Query,
): Promise<CompanyReleaseHealth[]> {
  const projects = await c
    .get("db")
    .select({ id: errorProjects.id, name: errorProjects.name, app: errorProjects.app })
    .from(errorProjects)
    .where(
      and(
        eq(errorProjects.companyId, companyId),
        query.project_id ? eq(errorProjects.id, query.project_id) : undefined,
      ),
    );
  if (projects.length === 0) return [];
  const db = await errorsDb(c.env, companyId);
  const projectIds = projects.map((project) => project.id);
  const sessionFilter = and(
    inArray(errorSessions.projectId, projectIds),
    query.environment ? eq(errorSessions.environment, query.environment) : undefined,
  );
  const totals = await db
    .select({
      projectId: errorSessions.projectId,
      release: errorSessions.release,
      started: sum(errorSessions.started),
      errored: sum(errorSessions.errored),
      crashed: sum(errorSessions.crashed),
      abnormal: sum(errorSessions.abnormal),
      lastHour: max(errorSessions.hour),
    })
    .from(errorSessions)
    .where(sessionFilter)
    .groupBy(errorSessions.projectId, errorSessions.release)
    .orderBy(desc(max(errorSessions.hour)), errorSessions.release)
    .limit(query.limit);
  if (totals.length === 0) return [];
  const releases = [...new Set(totals.map((row) => row.release))];
  const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
  const since = today - (WINDOW_DAYS - 1) * DAY_MS;
  // D1 binds numbers as reals, so the division is cast back to the whole day number.
  const dayOf = sql<number>`CAST(${errorSessions.hour} / ${DAY_MS} AS INTEGER)`;
  const [daily, users] = await Promise.all([
    db
      .select({
        projectId: errorSessions.projectId,
        release: errorSessions.release,
        day: dayOf,
        started: sum(errorSessions.started),
        errored: sum(errorSessions.errored),
        crashed: sum(errorSessions.crashed),
        abnormal: sum(errorSessions.abnormal),
      })
      .from(errorSessions)
      .where(and(sessionFilter, inArray(errorSessions.release, releases), gte(errorSessions.hour, since)))
      .groupBy(errorSessions.projectId, errorSessions.release, dayOf),
    db
      .select({
        projectId: errorSessionUsers.projectId,
        release: errorSessionUsers.release,
        users: count(),
        crashedUsers: sum(errorSessionUsers.crashed),
      })
      .from(errorSessionUsers)
      .where(
        and(inArray(errorSessionUsers.projectId, projectIds), inArray(errorSessionUsers.release, releases)),
      )
      .groupBy(errorSessionUsers.projectId, errorSessionUsers.release),
  ]);
  const days = new Map<string, Map<number, (typeof daily)[number]>>();
  for (const row of daily) {
    const key = pairKey(row.projectId, row.release);
    const byDay = days.get(key) ?? new Map();
    byDay.set(Number(row.day), row);
    days.set(key, byDay);
  }
  const userCounts = new Map(users.map((row) => [pairKey(row.projectId, row.release), row]));
  const projectOf = new Map(projects.map((project) => [project.id, project]));
  return totals.flatMap((row) => {
    const project = projectOf.get(row.projectId);
    if (!project) return [];
    const key = pairKey(row.projectId, row.release);
    const people = userCounts.get(key);
    const byDay = days.get(key);
    return {
      project_id: project.id,
      project_name: project.name,
      app: project.app,
      release: row.release,
      last_session_at: new Date(total(row.lastHour)).toISOString(),
      ...healthCounts({
        started: total(row.started),
        errored: total(row.errored),
        crashed: total(row.crashed),
        abnormal: total(row.abnormal),
        users: total(people?.users ?? 0),
        crashedUsers: total(people?.crashedUsers ?? 0),
      }),
      days: Array.from({ length: WINDOW_DAYS }, (_, i) => {
        const start = since + i * DAY_MS;
        const day = byDay?.get(start / DAY_MS);
        const started = total(day?.started ?? 0);
        const crashed = total(day?.crashed ?? 0);
        return {
          day: new Date(start).toISOString().slice(0, 10),
          sessions: started,
          errored: total(day?.errored ?? 0),
          crashed,
          abnormal: total(day?.abnormal ?? 0),
          crash_free_sessions: crashFreePercent(crashed, started),
        };
      }),
    };
  });
}

/** release_health is keyed by version without a leading `v`, as the consumer derives it from the SDK's release. */
export const healthVersion = (version: string) => version.replace(/^v/, "");

/** A release's platform-wide health and its automatic-halt settings (operators). */
export async function releaseHealthOf(db: CentralDb, releaseId: string): Promise<ReleaseHealth> {
  const { release } = await loadRelease(db, releaseId);
  const [row] = await db
    .select()
    .from(releaseHealth)
    .where(eq(releaseHealth.version, healthVersion(release.version)))
    .limit(1);
  return {
    release_id: release.id,
    version: release.version,
    health: row
      ? healthCounts({
          started: row.sessions,
          errored: row.erroredSessions,
          crashed: row.crashedSessions,
          abnormal: row.abnormalSessions,
          users: row.users,
          crashedUsers: row.crashedUsers,
        })
      : null,
    updated_at: row ? row.updatedAt.toISOString() : null,
    health_halt_below: release.healthHaltBelow,
    health_min_sessions: release.healthMinSessions,
    halted_by_health_at: release.haltedByHealthAt ? release.haltedByHealthAt.toISOString() : null,
  };
}
