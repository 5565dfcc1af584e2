// A company's error issues and events, from its tenant database (written by the error consumer):
// the filtered, paged issue list, one issue, its events, and state changes. The tenant database
// holds only this company's rows, so another company's issue id is simply not found.
import type {
  ErrorEvent,
  ErrorIssue,
  ErrorIssueListQuerySchema,
  ErrorIssueSort,
  UpdateErrorIssueRequest,
} from "@nexus/contracts";
import { errorEvents, errorIssueReleases, errorIssues } from "@nexus/db/tenant";
import { and, eq, exists, sql } from "drizzle-orm";
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { auditStatement } from "../audit.ts";
import { type KeysetRequest, keysetPage } from "../keyset-page.ts";
import type { Page } from "../list-page.ts";
import { tenantDatabase } from "../tenant-db.ts";

export type ErrorsDb = DrizzleD1Database<Record<string, never>>;
export type ErrorIssueRow = typeof errorIssues.$inferSelect;
export type ErrorEventRow = typeof errorEvents.$inferSelect;

export const errorsDb = async (env: Env, companyId: string): Promise<ErrorsDb> =>
  drizzle(await tenantDatabase(env, companyId));

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

export function toErrorIssueView(row: ErrorIssueRow): ErrorIssue {
  return {
    id: row.id,
    project_id: row.projectId,
    title: row.title,
    culprit: row.culprit,
    type: row.type,
    level: row.level,
    platform: row.platform,
    status: row.status,
    resolved_in_release: row.resolvedInRelease,
    resolved_at: isoOrNull(row.resolvedAt),
    regressed_at: isoOrNull(row.regressedAt),
    first_seen: iso(row.firstSeen),
    last_seen: iso(row.lastSeen),
    times_seen: row.timesSeen,
    users_seen: row.usersSeen,
    first_release: row.firstRelease,
    last_release: row.lastRelease,
  };
}

export function toErrorEventView(row: ErrorEventRow): ErrorEvent {
  return {
    event_id: row.eventId,
    issue_id: row.issueId,
    project_id: row.projectId,
    received_at: iso(row.receivedAt),
    occurred_at: iso(row.occurredAt),
    level: row.level,
    release: row.release,
    environment: row.environment,
    platform: row.platform,
    data: row.data,
  };
}

const sortColumns = {
  last_seen: errorIssues.lastSeen,
  first_seen: errorIssues.firstSeen,
  times_seen: errorIssues.timesSeen,
  users_seen: errorIssues.usersSeen,
} as const satisfies Record<ErrorIssueSort, unknown>;

const sortValue = (row: ErrorIssueRow, sort: ErrorIssueSort): number =>
  ({
    last_seen: row.lastSeen,
    first_seen: row.firstSeen,
    times_seen: row.timesSeen,
    users_seen: row.usersSeen,
  })[sort];

type IssueListQuery = z.output<typeof ErrorIssueListQuerySchema>;

/** One page of the company's issues, matching every filter given, largest `sort` first. */
export async function errorIssuePage(
  env: Env,
  companyId: string,
  query: IssueListQuery,
): Promise<Page<ErrorIssue>> {
  const db = await errorsDb(env, companyId);
  const { release, environment } = query;
  const filters = [
    query.status ? eq(errorIssues.status, query.status) : undefined,
    query.project_id ? eq(errorIssues.projectId, query.project_id) : undefined,
    query.platform ? eq(errorIssues.platform, query.platform) : undefined,
    release
      ? exists(
          db
            .select({ one: sql`1` })
            .from(errorIssueReleases)
            .where(
              and(eq(errorIssueReleases.issueId, errorIssues.id), eq(errorIssueReleases.release, release)),
            ),
        )
      : undefined,
    environment
      ? exists(
          db
            .select({ one: sql`1` })
            .from(errorEvents)
            .where(and(eq(errorEvents.issueId, errorIssues.id), eq(errorEvents.environment, environment))),
        )
      : undefined,
  ];
  const page = await keysetPage(
    query,
    { value: sortColumns[query.sort], id: errorIssues.id },
    filters,
    ({ where, orderBy, limit }) =>
      db
        .select()
        .from(errorIssues)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit),
    (row) => ({ value: sortValue(row, query.sort), id: row.id }),
  );
  return { items: page.items.map(toErrorIssueView), nextCursor: page.nextCursor };
}

/** The issue, or ERROR_ISSUE_NOT_FOUND. */
export async function requireErrorIssue(db: ErrorsDb, issueId: string): Promise<ErrorIssueRow> {
  const [row] = await db.select().from(errorIssues).where(eq(errorIssues.id, issueId)).limit(1);
  if (!row) throw new ApiError("ERROR_ISSUE_NOT_FOUND", `This company has no error issue ${issueId}.`);
  return row;
}

/** One page of the issue's events, newest received first. */
export async function errorEventPage(
  env: Env,
  companyId: string,
  issueId: string,
  page: KeysetRequest,
): Promise<Page<ErrorEvent>> {
  const db = await errorsDb(env, companyId);
  await requireErrorIssue(db, issueId);
  const events = await keysetPage(
    page,
    { value: errorEvents.receivedAt, id: errorEvents.eventId },
    [eq(errorEvents.issueId, issueId)],
    ({ where, orderBy, limit }) =>
      db
        .select()
        .from(errorEvents)
        .where(where)
        .orderBy(...orderBy)
        .limit(limit),
    (row) => ({ value: row.receivedAt, id: row.eventId }),
  );
  return { items: events.items.map(toErrorEventView), nextCursor: events.nextCursor };
}

/**
 * Resolves (in a release or not), ignores or reopens an issue. Resolving records when, so that the
 * consumer can tell a regression; any other status clears the resolution.
 */
export async function changeErrorIssue(
  c: Context<AppEnv>,
  companyId: string,
  issueId: string,
  input: UpdateErrorIssueRequest,
): Promise<ErrorIssueRow> {
  const db = await errorsDb(c.env, companyId);
  const issue = await requireErrorIssue(db, issueId);
  const resolved = input.status === "resolved";
  const change = {
    status: input.status,
    resolvedAt: resolved ? Date.now() : null,
    resolvedInRelease: resolved ? (input.resolved_in_release ?? null) : null,
  };
  const [row] = await db.update(errorIssues).set(change).where(eq(errorIssues.id, issueId)).returning();
  // The issue lives in the tenant database and the audit log centrally: two databases, two writes.
  await auditStatement(c, {
    companyId,
    action: "error_issue.updated",
    targetType: "error_issue",
    targetId: issueId,
    details: {
      title: issue.title,
      project_id: issue.projectId,
      status: input.status,
      previous_status: issue.status,
      resolved_in_release: change.resolvedInRelease,
    },
  });
  return row ?? { ...issue, ...change };
}
