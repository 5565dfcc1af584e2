// What a message's new events do to their issues: the counts to add, and which issues are new or
// regressed. A resolved issue regresses on an event from its resolved release or a later one (by
// semantic version; a release that is not one regresses when it differs), or, resolved without a
// release, on any event received after it was resolved. Ignored issues stay ignored.
import { compareVersions, type ErrorIssueStatus } from "@nexus/contracts";
import type { PreparedEvent } from "./prepare.ts";
import { releaseVersion } from "./sessions.ts";

export interface IssueState {
  status: ErrorIssueStatus;
  resolvedInRelease: string | null;
  resolvedAt: number | null;
}

/** One issue's share of a message, as the upsert's row (snake_case: read by SQL from JSON). */
export interface IssueRow {
  id: string;
  project_id: number;
  fingerprint: string;
  title: string;
  culprit: string | null;
  type: string | null;
  level: string;
  platform: string;
  first_seen: number;
  last_seen: number;
  times_seen: number;
  first_release: string | null;
  last_release: string | null;
  last_event_id: string;
  /** The resolution the regression was decided against (the upsert applies it only if unchanged). */
  resolved_at: number | null;
  /** Set when the events regress the issue. */
  regressed_at: number | null;
}

export interface IssueNotice {
  issueId: string;
  title: string;
  level: PreparedEvent["level"];
  release: string | null;
  /** For regressions: the resolution they end (part of the webhook event's id). */
  resolution?: string;
}

const SEMVER = /^\d+\.\d+\.\d+/;

/** Whether an event (its release, when it was received) regresses an issue in `state`. */
export function regresses(state: IssueState, release: string | null, receivedAt: number): boolean {
  if (state.status !== "resolved") return false;
  const fixedIn = state.resolvedInRelease;
  if (fixedIn === null) return state.resolvedAt === null || receivedAt > state.resolvedAt;
  if (release === null) return false;
  const version = releaseVersion(release);
  const fixedVersion = releaseVersion(fixedIn);
  if (SEMVER.test(version) && SEMVER.test(fixedVersion)) return compareVersions(version, fixedVersion) >= 0;
  return release !== fixedIn;
}

export interface IssuePlan {
  rows: IssueRow[];
  created: IssueNotice[];
  regressed: IssueNotice[];
}

/** The issue rows for a message's fresh events; `issues` holds the issues known before it. */
export function planIssues(
  projectId: number,
  receivedAt: number,
  events: PreparedEvent[],
  issues: Map<string, IssueState>,
  now: number,
): IssuePlan {
  const rows = new Map<string, IssueRow>();
  const created: IssueNotice[] = [];
  const regressed: IssueNotice[] = [];
  for (const event of events) {
    const release = event.data.release ?? null;
    const row = rows.get(event.issueId);
    if (!row) {
      const state = issues.get(event.issueId);
      rows.set(event.issueId, {
        id: event.issueId,
        project_id: projectId,
        fingerprint: event.fingerprint,
        title: event.title,
        culprit: event.culprit,
        type: event.type,
        level: event.level,
        platform: event.data.platform,
        first_seen: event.occurredAt,
        last_seen: event.occurredAt,
        times_seen: 1,
        first_release: release,
        last_release: release,
        last_event_id: event.data.event_id,
        resolved_at: state?.resolvedAt ?? null,
        regressed_at: null,
      });
      if (!state) created.push({ issueId: event.issueId, title: event.title, level: event.level, release });
    } else {
      row.times_seen += 1;
      if (event.occurredAt < row.first_seen) {
        row.first_seen = event.occurredAt;
        row.first_release = release ?? row.first_release;
      }
      if (event.occurredAt >= row.last_seen) {
        row.last_seen = event.occurredAt;
        row.last_release = release ?? row.last_release;
        row.last_event_id = event.data.event_id;
      }
    }
    const state = issues.get(event.issueId);
    const current = rows.get(event.issueId);
    if (state && current && current.regressed_at === null && regresses(state, release, receivedAt)) {
      current.regressed_at = now;
      regressed.push({
        issueId: event.issueId,
        title: event.title,
        level: event.level,
        release,
        resolution: `${state.resolvedAt ?? ""}|${state.resolvedInRelease ?? ""}`,
      });
    }
  }
  return { rows: [...rows.values()], created, regressed };
}
