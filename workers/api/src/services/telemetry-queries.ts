// Reads of the roll-ups workers/consumers writes: chart series, the fleet summary, app adoption.
import {
  MACHINE_STATUSES,
  type Machine,
  RESOLUTION_MS,
  type Resolution,
  type RollupBucket,
  TELEMETRY_LIMITS,
  type UsageEvent,
} from "@nexus/contracts";
import { ApiError } from "../lib/errors.ts";

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

export async function series(
  db: D1Database,
  machineId: string,
  metric: string,
  resolution: Resolution,
  range: SeriesRange,
) {
  // The table name comes from the validated enum, never from the request text.
  const table = `telemetry_${resolution}`;
  // Buckets that started before `from` but reach into the range are included.
  const start = Math.floor(range.from / BUCKET_MS[resolution]) * BUCKET_MS[resolution];
  const { results } = await db
    .prepare(
      `SELECT bucket, count, sum, min, max, last FROM ${table}
       WHERE machine_id = ? AND metric = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`,
    )
    .bind(machineId, metric, start, range.to)
    .all<RollupBucket>();
  return results.map((row) => ({
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
export function fleetSummary(machines: Machine[]) {
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
export async function adoption(central: D1Database, tenant: D1Database, companyId: string, days: number) {
  const since = new Date(Date.now() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const [current, daily, events] = await Promise.all([
    central
      .prepare(
        `SELECT app_version, count(*) AS installations FROM installations
         WHERE company_id = ? AND is_active = 1 GROUP BY app_version ORDER BY installations DESC, app_version`,
      )
      .bind(companyId)
      .all<{ app_version: string | null; installations: number }>(),
    tenant
      .prepare(
        `SELECT day, app_version, count(*) AS n FROM app_version_days
         WHERE day >= ? GROUP BY day, app_version ORDER BY day`,
      )
      .bind(since)
      .all<{ day: string; app_version: string; n: number }>(),
    tenant
      .prepare(
        `SELECT day, event, name, app_version, count FROM app_usage_daily
         WHERE day >= ? ORDER BY day, event, name, app_version`,
      )
      .bind(since)
      .all<{ day: string; event: string; name: string; app_version: string; count: number }>(),
  ]);
  const perDay = new Map<string, Record<string, number>>();
  for (const row of daily.results) {
    const versions = perDay.get(row.day) ?? {};
    versions[row.app_version] = row.n;
    perDay.set(row.day, versions);
  }
  return {
    current: current.results,
    daily: [...perDay].map(([day, versions]) => ({ day, versions })),
    events: events.results.map((row) => ({
      ...row,
      event: row.event as UsageEvent["event"],
      name: row.name === "" ? null : row.name,
    })),
  };
}
