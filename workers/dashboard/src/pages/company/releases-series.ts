// Figures for the update screens' charts and tables, from the API's per-day rows: which versions the
// installations ran each day, update checks and downloads per day, totals per release, and the
// channels a company's installations receive releases from.
import type { AdoptionSchema, UpdateStatsSchema } from "@nexus/contracts";
import type { z } from "zod";
import type { TimeSeries } from "../../components/time-chart.tsx";

type Adoption = z.infer<typeof AdoptionSchema>;
type StatsRow = z.infer<typeof UpdateStatsSchema>["rows"][number];

const DAY_MS = 86_400_000;
/** More lines than this are unreadable (and run out of distinct colours): the rest are summed. */
const MAX_VERSION_LINES = 6;

/** Midnight UTC of a `YYYY-MM-DD` day, as the API counts days. */
export const dayStart = (day: string): number => Date.parse(`${day}T00:00:00Z`);

/** The last `days` UTC days up to today, for a chart's time range. */
export function dayRange(days: number, now = Date.now()): { from: number; to: number; fromDay: string } {
  const to = Math.floor(now / DAY_MS) * DAY_MS;
  const from = to - (days - 1) * DAY_MS;
  return { from, to, fromDay: new Date(from).toISOString().slice(0, 10) };
}

const dayLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
export const formatDay = (t: number): string => dayLabel.format(t);

/** Semantic versions compared by their numbers (a pre-release before its release); others by text. */
export function compareVersions(a: string, b: string): number {
  const parse = (version: string) => /^v?(\d+)\.(\d+)\.(\d+)(?:-([^+]*))?/.exec(version);
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) return a.localeCompare(b);
  for (const index of [1, 2, 3]) {
    const difference = Number(left[index]) - Number(right[index]);
    if (difference !== 0) return difference;
  }
  if (left[4] === right[4]) return 0;
  if (left[4] === undefined) return 1;
  if (right[4] === undefined) return -1;
  return left[4].localeCompare(right[4], "en", { numeric: true });
}

/**
 * One line per version (installations seen on it per day), newest version first; a day the version
 * was not seen counts 0. Beyond MAX_VERSION_LINES the least used versions become "Other versions".
 */
export function adoptionSeries(daily: Adoption["daily"]): TimeSeries[] {
  const days = [...daily].sort((a, b) => a.day.localeCompare(b.day));
  const totals = new Map<string, number>();
  for (const { versions } of days) {
    for (const [version, count] of Object.entries(versions)) {
      totals.set(version, (totals.get(version) ?? 0) + count);
    }
  }
  const byUse = [...totals].sort((a, b) => b[1] - a[1]).map(([version]) => version);
  const shown = byUse.slice(0, byUse.length > MAX_VERSION_LINES ? MAX_VERSION_LINES - 1 : MAX_VERSION_LINES);
  const others = byUse.filter((version) => !shown.includes(version));
  const series: TimeSeries[] = shown
    .sort((a, b) => compareVersions(b, a))
    .map((version) => ({
      name: version,
      points: days.map(({ day, versions }) => ({ t: dayStart(day), v: versions[version] ?? 0 })),
    }));
  if (others.length > 0) {
    series.push({
      name: "Other versions",
      points: days.map(({ day, versions }) => ({
        t: dayStart(day),
        v: others.reduce((sum, version) => sum + (versions[version] ?? 0), 0),
      })),
    });
  }
  return series;
}

/** What an installation that reported no version is listed under. */
export const UNKNOWN_VERSION = "unknown";

/**
 * The versions in use and their adoption per day, from one answer of the adoption route, so the two
 * cards cannot disagree: `versions` are the seat holders' versions now (`current`), and they are
 * also the chart's point for today; earlier days are the roll-ups (installations seen on each
 * version that day). A company whose installations reported versions never gets an empty chart.
 */
export function versionAdoption(
  adoption: Pick<Adoption, "current" | "daily">,
  now = Date.now(),
): { versions: { label: string; count: number }[]; series: TimeSeries[] } {
  const versions = adoption.current.map((row) => ({
    label: row.app_version ?? UNKNOWN_VERSION,
    count: row.installations,
  }));
  const today = new Date(Math.floor(now / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
  const reported = versions.filter((row) => row.label !== UNKNOWN_VERSION && row.count > 0);
  const days = adoption.daily.filter((row) => row.day !== today);
  if (reported.length > 0) {
    days.push({ day: today, versions: Object.fromEntries(reported.map((row) => [row.label, row.count])) });
  }
  return { versions, series: adoptionSeries(days) };
}

export interface UpdateCounts {
  checks: number;
  downloads: number;
  range_requests: number;
}

const METRICS: { key: keyof UpdateCounts; name: string }[] = [
  { key: "checks", name: "Update checks" },
  { key: "downloads", name: "Full downloads" },
  { key: "range_requests", name: "Range requests" },
];

/** Checks, full downloads and range requests per day, summed over the rows' companies and releases. */
export function statsSeries(rows: readonly StatsRow[]): TimeSeries[] {
  const perDay = new Map<string, UpdateCounts>();
  for (const row of rows) perDay.set(row.day, addCounts(perDay.get(row.day), row));
  const days = [...perDay].sort((a, b) => a[0].localeCompare(b[0]));
  return METRICS.map(({ key, name }) => ({
    name,
    points: days.map(([day, counts]) => ({ t: dayStart(day), v: counts[key] })),
  }));
}

/** Totals per value of `key` (a release or a company), for tables beside the charts. */
export function totalsBy(
  rows: readonly StatsRow[],
  key: "release_id" | "company_id",
): Map<string, UpdateCounts> {
  const totals = new Map<string, UpdateCounts>();
  for (const row of rows) totals.set(row[key], addCounts(totals.get(row[key]), row));
  return totals;
}

function addCounts(total: UpdateCounts | undefined, row: UpdateCounts): UpdateCounts {
  return {
    checks: (total?.checks ?? 0) + row.checks,
    downloads: (total?.downloads ?? 0) + row.downloads,
    range_requests: (total?.range_requests ?? 0) + row.range_requests,
  };
}
