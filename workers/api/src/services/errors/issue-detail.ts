// One issue as its page shows it: the latest event, the releases it occurs in, its occurrences over
// the last 14 days (by hour and by day, every bucket listed) and the most common tag values of its
// recent events.
import type { ErrorIssueDetail } from "@nexus/contracts";
import { errorEvents, errorIssueHours, errorIssueReleases } from "@nexus/db/tenant";
import { and, desc, eq, gte, sql } from "drizzle-orm";
import { type ErrorsDb, errorsDb, requireErrorIssue, toErrorEventView, toErrorIssueView } from "./issues.ts";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WINDOW_DAYS = 14;
/** How many recent events the tag counts are taken from. */
const TAG_SAMPLE = 100;
const TOP_VALUES = 10;
const RELEASES_SHOWN = 100;

type Occurrences = ErrorIssueDetail["occurrences"];
type TagSummary = ErrorIssueDetail["tags"][number];

/** Zero-filled hourly and daily buckets of the last 14 days, oldest first, from the hour counts. */
export function occurrenceBuckets(hours: { hour: number; count: number }[], now: number): Occurrences {
  const currentHour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const hourStart = currentHour - (WINDOW_DAYS * 24 - 1) * HOUR_MS;
  const dayStart = today - (WINDOW_DAYS - 1) * DAY_MS;
  const hourly = Array.from({ length: WINDOW_DAYS * 24 }, () => 0);
  const daily = Array.from({ length: WINDOW_DAYS }, () => 0);
  for (const { hour, count } of hours) {
    const h = Math.floor((hour - hourStart) / HOUR_MS);
    if (h >= 0 && h < hourly.length) hourly[h] = (hourly[h] ?? 0) + count;
    const d = Math.floor((hour - dayStart) / DAY_MS);
    if (d >= 0 && d < daily.length) daily[d] = (daily[d] ?? 0) + count;
  }
  const buckets = (counts: number[], start: number, step: number) =>
    counts.map((count, i) => ({ start: new Date(start + i * step).toISOString(), count }));
  return { hourly: buckets(hourly, hourStart, HOUR_MS), daily: buckets(daily, dayStart, DAY_MS) };
}

interface TagSource {
  tags: unknown;
  release: string | null;
  environment: string | null;
  level: string;
}

/** Per tag key, its most frequent values among the sampled events; keys on most events first. */
export function tagSummaries(events: TagSource[]): TagSummary[] {
  const counts = new Map<string, Map<string, number>>();
  const add = (key: string, value: unknown) => {
    if (typeof value !== "string" || value === "") return;
    const values = counts.get(key) ?? new Map<string, number>();
    values.set(value, (values.get(value) ?? 0) + 1);
    counts.set(key, values);
  };
  for (const event of events) {
    add("level", event.level);
    add("release", event.release);
    add("environment", event.environment);
    const tags = typeof event.tags === "string" ? safeJson(event.tags) : event.tags;
    if (tags && typeof tags === "object" && !Array.isArray(tags)) {
      for (const [key, value] of Object.entries(tags)) {
        if (key !== "level" && key !== "release" && key !== "environment") add(key, value);
      }
    }
  }
  return [...counts]
    .map(([key, values]) => {
      const sorted = [...values].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      return {
        key,
        total: sorted.reduce((sum, [, count]) => sum + count, 0),
        values: sorted.slice(0, TOP_VALUES).map(([value, count]) => ({ value, count })),
      };
    })
    .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function recentTags(db: ErrorsDb, issueId: string): Promise<TagSource[]> {
  return db
    .select({
      // Only the tags of each event's JSON: the sample's stack traces and breadcrumbs stay in the database.
      tags: sql<unknown>`json_extract(${errorEvents.data}, '$.tags')`,
      release: errorEvents.release,
      environment: errorEvents.environment,
      level: errorEvents.level,
    })
    .from(errorEvents)
    .where(eq(errorEvents.issueId, issueId))
    .orderBy(desc(errorEvents.receivedAt))
    .limit(TAG_SAMPLE);
}

export async function errorIssueDetail(
  env: Env,
  companyId: string,
  issueId: string,
): Promise<ErrorIssueDetail> {
  const db = await errorsDb(env, companyId);
  const issue = await requireErrorIssue(db, issueId);
  const now = Date.now();
  const since = Math.floor(now / HOUR_MS) * HOUR_MS - (WINDOW_DAYS * 24 - 1) * HOUR_MS;
  const [latest, releases, hours, tagged] = await Promise.all([
    db
      .select()
      .from(errorEvents)
      .where(eq(errorEvents.issueId, issueId))
      .orderBy(desc(errorEvents.receivedAt))
      .limit(1),
    db
      .select()
      .from(errorIssueReleases)
      .where(eq(errorIssueReleases.issueId, issueId))
      .orderBy(desc(errorIssueReleases.lastSeen))
      .limit(RELEASES_SHOWN),
    db
      .select({ hour: errorIssueHours.hour, count: errorIssueHours.count })
      .from(errorIssueHours)
      .where(and(eq(errorIssueHours.issueId, issueId), gte(errorIssueHours.hour, since))),
    recentTags(db, issueId),
  ]);
  const [event] = latest;
  return {
    success: true,
    issue: toErrorIssueView(issue),
    latest_event: event ? toErrorEventView(event) : null,
    releases: releases.map((row) => ({
      release: row.release,
      first_seen: new Date(row.firstSeen).toISOString(),
      last_seen: new Date(row.lastSeen).toISOString(),
      times_seen: row.timesSeen,
    })),
    occurrences: occurrenceBuckets(hours, now),
    tags: tagSummaries(tagged),
    tags_sample_size: tagged.length,
  };
}
