// Reads of the roll-ups workers/consumers writes: chart series, the fleet summary, app adoption.
import {
  MACHINE_STATUSES,
  type Machine,
  RESOLUTION_MS,
  type Resolution,
  TELEMETRY_LIMITS,
  type UsageEvent,
} from "@nexus/contracts";
import { installations } from "@nexus/db/central";
import {
  appUsageDaily,
  appVersionDays,
  telemetryDay,
  telemetryHour,
  telemetryMinute,
} from "@nexus/db/tenant";
import { and, asc, count, desc, eq, gte, lt } from "drizzle-orm";
import type { CentralDb } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import type { TenantDb } from "./machines.ts";

const BUCKET_MS = RESOLUTION_MS;
const DAY_MS = RESOLUTION_MS.day;

export interface SeriesRange {
  from: number;
  to: number;
}

/** `from`/`to` with their defaults (the last day), checked for order and size. */
export function seriesRange(
  input: { from?: string | undefined; to?: string | undefined },
  resolution: Resolution,
  now = Date.now(),
): SeriesRange {
  const to = input.to ? Date.parse(input.to) : now;
  const from = input.from ? Date.parse(input.from) : to - DAY_MS;
  if (from >= to) throw new ApiError("VALIDATION_FAILED", "`from` must be before `to`.", { from, to });
  const points = Math.ceil((to - from) / BUCKET_MS[resolution]);
  if (points > TELEMETRY_LIMITS.maxSeriesPoints) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `That range holds ${points} ${resolution} buckets, over the limit of ${TELEMETRY_LIMITS.maxSeriesPoints}: narrow it or choose a coarser resolution.`,
      { points, limit: TELEMETRY_LIMITS.maxSeriesPoints },
    );
  }
  return { from, to };
}

const rollups = { minute: telemetryMinute, hour: telemetryHour, day: telemetryDay };

export async function series(
  orm: TenantDb,
  machineId: string,
  metric: string,
  resolution: Resolution,
  range: SeriesRange,
) {
  const table = rollups[resolution];
  // Buckets that started before `from` but reach into the range are included.
  const start = Math.floor(range.from / BUCKET_MS[resolution]) * BUCKET_MS[resolution];
  const rows = await orm
    .select()
    .from(table)
    .where(
      and(
        eq(table.machineId, machineId),
        eq(table.metric, metric),
        gte(table.bucket, start),
        lt(table.bucket, range.to),
      ),
    )
    .orderBy(asc(table.bucket));
  return rows.map((row) => ({
    ts: new Date(row.bucket).toISOString(),
    count: row.count,
    sum: row.sum,
    avg: row.sum / row.count,
    min: row.min,
    max: row.max,
    last: row.last,
  }));
}

/** Worst health first; machines never heard from (null) after all scored ones. */
export function summariseFleet(machines: Machine[]) {
  const byStatus = Object.fromEntries(MACHINE_STATUSES.map((status) => [status, 0])) as Record<
    Machine["status"],
    number
  >;
  for (const machine of machines) byStatus[machine.status] += 1;
  const scored = machines.filter((machine) => machine.health_score !== null);
  const sorted = [...machines].sort(
    (a, b) =>
      (a.health_score ?? Number.POSITIVE_INFINITY) - (b.health_score ?? Number.POSITIVE_INFINITY) ||
      a.name.localeCompare(b.name),
  );
  return {
    total: machines.length,
    by_status: byStatus,
    average_health:
      scored.length === 0
        ? null
        : Math.round((scored.reduce((sum, m) => sum + (m.health_score ?? 0), 0) / scored.length) * 10) / 10,
    machines: sorted,
  };
}

/** Version adoption: now (central installations), per day and usage events (tenant roll-ups). */
export async function adoption(central: CentralDb, tenant: TenantDb, companyId: string, days: number) {
  const since = new Date(Date.now() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const [current, daily, events] = await Promise.all([
    central
      .select({ app_version: installations.appVersion, installations: count() })
      .from(installations)
      .where(and(eq(installations.companyId, companyId), eq(installations.isActive, true)))
      .groupBy(installations.appVersion)
      .orderBy(desc(count()), asc(installations.appVersion)),
    tenant
      .select({ day: appVersionDays.day, appVersion: appVersionDays.appVersion, n: count() })
      .from(appVersionDays)
      .where(gte(appVersionDays.day, since))
      .groupBy(appVersionDays.day, appVersionDays.appVersion)
      .orderBy(asc(appVersionDays.day)),
    tenant
      .select()
      .from(appUsageDaily)
      .where(gte(appUsageDaily.day, since))
      .orderBy(
        asc(appUsageDaily.day),
        asc(appUsageDaily.event),
        asc(appUsageDaily.name),
        asc(appUsageDaily.appVersion),
      ),
  ]);
  const perDay = new Map<string, Record<string, number>>();
  for (const row of daily) {
    const versions = perDay.get(row.day) ?? {};
    versions[row.appVersion] = row.n;
    perDay.set(row.day, versions);
  }
  return {
    current,
    daily: [...perDay].map(([day, versions]) => ({ day, versions })),
    events: events.map((row) => ({
      day: row.day,
      // Written by workers/consumers from validated usage events only.
      event: row.event as UsageEvent["event"],
      name: row.name === "" ? null : row.name,
      app_version: row.appVersion,
      count: row.count,
    })),
  };
}
