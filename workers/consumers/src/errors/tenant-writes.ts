// A message's writes to its company's tenant database, all in one D1 batch (one transaction): either
// the whole message counts or nothing of it does. The batch opens with the message's mark (its queue
// message id, which a redelivery keeps), so a message applied before fails the batch at once and
// counts nothing twice. Events are inserted without ON CONFLICT: the snapshot read before left out
// the ones stored already, and one stored meanwhile by a concurrent message (an SDK resending it in
// another envelope) fails this batch, whose retry then leaves it out — a DO NOTHING would have let
// the issue's counts take it twice. Counts are upserts adding `excluded` values, exact however many
// batches run at once; users are distinct rows, counted after they are inserted.
// Rows travel as one JSON parameter per statement (json_each) through raw SQL fragments inside
// drizzle's insert … select: drizzle's values() binds a parameter per column and row (D1 allows 100).
import { errorText } from "@nexus/db";
import {
  errorBatches,
  errorEvents,
  errorIssueHours,
  errorIssueReleases,
  errorIssues,
  errorIssueUsers,
  errorSessions,
  errorSessionUsers,
} from "@nexus/db/tenant";
import { sql } from "drizzle-orm";
import type { Orm, Statement } from "../db.ts";
import type { IssueRow, IssueState } from "./issues.ts";
import type { PreparedEvent, PreparedMessage } from "./prepare.ts";

/** Kept under D1's statement limits: events are chunked by the size of their JSON. */
const MAX_JSON_PER_STATEMENT = 256 * 1024;
/** The message marks in error_batches (errors/retention.ts drops them after 8 days). */
const MARK_PREFIX = "errors:";

export const messageMark = (messageId: string) => `${MARK_PREFIX}${messageId}`;

export const isAppliedBefore = (error: unknown) =>
  errorText(error).includes("UNIQUE constraint failed: error_batches.key");

/** What the tenant database knows before a batch is applied (updated as its messages apply). */
export interface TenantSnapshot {
  applied: Set<string>;
  /** `project:event_id` of the stored events among the batch's. */
  events: Set<string>;
  issues: Map<string, IssueState>;
  /** JSON [project, release, did] → whether one of the user's sessions crashed. */
  sessionUsers: Map<string, boolean>;
}

export const eventKey = (projectId: number, eventId: string) => `${projectId}:${eventId}`;
export const sessionUserKey = (projectId: number, release: string, did: string) =>
  JSON.stringify([projectId, release, did]);

const inJson = (values: unknown[]) => sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`;

/** One D1 round trip: which messages, events, issues and session users exist already. */
export async function readSnapshot(db: Orm, messages: PreparedMessage[]): Promise<TenantSnapshot> {
  const marks = messages.map((item) => messageMark(item.message.id));
  const events = messages.flatMap((item) =>
    item.events.map((event) => ({ p: item.body.project_id, e: event.data.event_id })),
  );
  const issueIds = [...new Set(messages.flatMap((item) => item.events.map((event) => event.issueId)))];
  const users = messages.flatMap((item) =>
    item.sessions.users.map((user) => ({ p: item.body.project_id, r: user.release, u: user.did })),
  );
  const [applied, stored, issues, sessionUsers] = await db.batch([
    db
      .select({ key: errorBatches.key })
      .from(errorBatches)
      .where(sql`${errorBatches.key} IN ${inJson(marks)}`),
    db
      .select({ projectId: errorEvents.projectId, eventId: errorEvents.eventId })
      .from(errorEvents)
      .where(
        sql`(${errorEvents.projectId}, ${errorEvents.eventId}) IN
            (SELECT j.value ->> 'p', j.value ->> 'e' FROM json_each(${JSON.stringify(events)}) AS j)`,
      ),
    db
      .select({
        id: errorIssues.id,
        status: errorIssues.status,
        resolvedInRelease: errorIssues.resolvedInRelease,
        resolvedAt: errorIssues.resolvedAt,
      })
      .from(errorIssues)
      .where(sql`${errorIssues.id} IN ${inJson(issueIds)}`),
    db
      .select({
        projectId: errorSessionUsers.projectId,
        release: errorSessionUsers.release,
        userKey: errorSessionUsers.userKey,
        crashed: errorSessionUsers.crashed,
      })
      .from(errorSessionUsers)
      .where(
        sql`(${errorSessionUsers.projectId}, ${errorSessionUsers.release}, ${errorSessionUsers.userKey}) IN
            (SELECT j.value ->> 'p', j.value ->> 'r', j.value ->> 'u' FROM json_each(${JSON.stringify(users)}) AS j)`,
      ),
  ]);
  return {
    applied: new Set(applied.map((row) => row.key)),
    events: new Set(stored.map((row) => eventKey(row.projectId, row.eventId))),
    issues: new Map(issues.map(({ id, ...state }) => [id, state])),
    sessionUsers: new Map(
      sessionUsers.map((row) => [sessionUserKey(row.projectId, row.release, row.userKey), row.crashed]),
    ),
  };
}

function chunkedBySize<T>(rows: T[], build: (json: string) => Statement): Statement[] {
  const statements: Statement[] = [];
  let chunk: string[] = [];
  let size = 0;
  for (const row of rows) {
    const text = JSON.stringify(row);
    if (chunk.length > 0 && size + text.length > MAX_JSON_PER_STATEMENT) {
      statements.push(build(`[${chunk.join(",")}]`));
      chunk = [];
      size = 0;
    }
    chunk.push(text);
    size += text.length + 1;
  }
  if (chunk.length > 0) statements.push(build(`[${chunk.join(",")}]`));
  return statements;
}

const col = (name: string) => sql.raw(`j.value ->> '${name}'`);
const fromJson = (json: string) => sql`FROM json_each(${json}) AS j WHERE true`;

function eventStatements(db: Orm, item: PreparedMessage, events: PreparedEvent[]): Statement[] {
  const rows = events.map((event) => ({
    project_id: item.body.project_id,
    event_id: event.data.event_id,
    issue_id: event.issueId,
    received_at: item.body.received_at,
    occurred_at: event.occurredAt,
    level: event.level,
    release: event.data.release ?? null,
    environment: event.data.environment ?? null,
    platform: event.data.platform,
    user_key: event.userKey,
    data: event.data,
    raw_key: item.body.raw_key,
  }));
  return chunkedBySize(rows, (json) =>
    db.insert(errorEvents).select(
      sql`SELECT ${col("project_id")}, ${col("event_id")}, ${col("issue_id")}, ${col("received_at")},
            ${col("occurred_at")}, ${col("level")}, ${col("release")}, ${col("environment")}, ${col("platform")},
            ${col("user_key")}, json(j.value -> 'data'), ${col("raw_key")} ${fromJson(json)}`,
    ),
  );
}

function issueStatement(db: Orm, rows: IssueRow[]): Statement {
  const t = errorIssues;
  // The regression applies only if the issue is still resolved as the snapshot saw it: an operator
  // who resolved it again meanwhile is not overruled by a decision made on the older resolution.
  const regress = sql`(excluded.regressed_at IS NOT NULL AND ${t.status} = 'resolved' AND ${t.resolvedAt} IS excluded.resolved_at)`;
  const later = sql`excluded.last_seen >= ${t.lastSeen}`;
  return db
    .insert(t)
    .select(
      sql`SELECT ${col("id")}, ${col("project_id")}, ${col("fingerprint")}, ${col("title")}, ${col("culprit")},
          ${col("type")}, ${col("level")}, ${col("platform")}, 'unresolved', NULL, ${col("resolved_at")},
          ${col("regressed_at")}, ${col("first_seen")}, ${col("last_seen")}, ${col("times_seen")}, 0,
          ${col("first_release")}, ${col("last_release")}, ${col("last_event_id")} ${fromJson(JSON.stringify(rows))}`,
    )
    .onConflictDoUpdate({
      target: [t.projectId, t.fingerprint],
      set: {
        timesSeen: sql`${t.timesSeen} + excluded.times_seen`,
        firstSeen: sql`min(${t.firstSeen}, excluded.first_seen)`,
        lastSeen: sql`max(${t.lastSeen}, excluded.last_seen)`,
        firstRelease: sql`CASE WHEN excluded.first_seen < ${t.firstSeen} AND excluded.first_release IS NOT NULL
                          THEN excluded.first_release ELSE coalesce(${t.firstRelease}, excluded.first_release) END`,
        lastRelease: sql`CASE WHEN ${later} AND excluded.last_release IS NOT NULL
                         THEN excluded.last_release ELSE coalesce(${t.lastRelease}, excluded.last_release) END`,
        lastEventId: sql`CASE WHEN ${later} THEN excluded.last_event_id ELSE ${t.lastEventId} END`,
        status: sql`CASE WHEN ${regress} THEN 'unresolved' ELSE ${t.status} END`,
        regressedAt: sql`CASE WHEN ${regress} THEN excluded.regressed_at ELSE ${t.regressedAt} END`,
        resolvedAt: sql`CASE WHEN ${regress} THEN NULL ELSE ${t.resolvedAt} END`,
        resolvedInRelease: sql`CASE WHEN ${regress} THEN NULL ELSE ${t.resolvedInRelease} END`,
      },
    });
}

function countStatements(db: Orm, events: PreparedEvent[]): Statement[] {
  const users = new Map<string, { issue_id: string; user_key: string }>();
  const releases = new Map<
    string,
    { issue_id: string; release: string; first: number; last: number; n: number }
  >();
  const hours = new Map<string, { issue_id: string; hour: number; n: number }>();
  for (const event of events) {
    if (event.userKey) {
      users.set(JSON.stringify([event.issueId, event.userKey]), {
        issue_id: event.issueId,
        user_key: event.userKey,
      });
    }
    const release = event.data.release;
    if (release) {
      const key = JSON.stringify([event.issueId, release]);
      const row = releases.get(key);
      if (row) {
        row.first = Math.min(row.first, event.occurredAt);
        row.last = Math.max(row.last, event.occurredAt);
        row.n += 1;
      } else {
        releases.set(key, {
          issue_id: event.issueId,
          release,
          first: event.occurredAt,
          last: event.occurredAt,
          n: 1,
        });
      }
    }
    const hourKey = `${event.issueId}:${event.hour}`;
    const hour = hours.get(hourKey) ?? { issue_id: event.issueId, hour: event.hour, n: 0 };
    hour.n += 1;
    hours.set(hourKey, hour);
  }
  const issueIds = [...new Set(events.map((event) => event.issueId))];
  const statements: Statement[] = [];
  if (users.size > 0) {
    statements.push(
      db
        .insert(errorIssueUsers)
        .select(
          sql`SELECT ${col("issue_id")}, ${col("user_key")} ${fromJson(JSON.stringify([...users.values()]))}`,
        )
        .onConflictDoNothing(),
      db
        .update(errorIssues)
        .set({
          usersSeen: sql`(SELECT count(*) FROM ${errorIssueUsers} WHERE ${errorIssueUsers.issueId} = ${errorIssues.id})`,
        })
        .where(sql`${errorIssues.id} IN ${inJson(issueIds)}`),
    );
  }
  if (releases.size > 0) {
    const r = errorIssueReleases;
    statements.push(
      db
        .insert(r)
        .select(
          sql`SELECT ${col("issue_id")}, ${col("release")}, ${col("first")}, ${col("last")}, ${col("n")}
              ${fromJson(JSON.stringify([...releases.values()]))}`,
        )
        .onConflictDoUpdate({
          target: [r.issueId, r.release],
          set: {
            firstSeen: sql`min(${r.firstSeen}, excluded.first_seen)`,
            lastSeen: sql`max(${r.lastSeen}, excluded.last_seen)`,
            timesSeen: sql`${r.timesSeen} + excluded.times_seen`,
          },
        }),
    );
  }
  if (hours.size > 0) {
    const h = errorIssueHours;
    statements.push(
      db
        .insert(h)
        .select(
          sql`SELECT ${col("issue_id")}, ${col("hour")}, ${col("n")} ${fromJson(JSON.stringify([...hours.values()]))}`,
        )
        .onConflictDoUpdate({
          target: [h.issueId, h.hour],
          set: { count: sql`${h.count} + excluded.count` },
        }),
    );
  }
  return statements;
}

function sessionStatements(db: Orm, item: PreparedMessage): Statement[] {
  const projectId = item.body.project_id;
  const { buckets, users } = item.sessions;
  const statements: Statement[] = [];
  if (buckets.length > 0) {
    const s = errorSessions;
    const rows = buckets.map((bucket) => ({ ...bucket, project_id: projectId }));
    statements.push(
      db
        .insert(s)
        .select(
          sql`SELECT ${col("project_id")}, ${col("release")}, ${col("environment")}, ${col("hour")}, ${col("started")},
              ${col("errored")}, ${col("crashed")}, ${col("abnormal")} ${fromJson(JSON.stringify(rows))}`,
        )
        .onConflictDoUpdate({
          target: [s.projectId, s.release, s.environment, s.hour],
          set: {
            started: sql`${s.started} + excluded.started`,
            errored: sql`${s.errored} + excluded.errored`,
            crashed: sql`${s.crashed} + excluded.crashed`,
            abnormal: sql`${s.abnormal} + excluded.abnormal`,
          },
        }),
    );
  }
  if (users.length > 0) {
    const u = errorSessionUsers;
    const rows = users.map((user) => ({
      project_id: projectId,
      release: user.release,
      did: user.did,
      crashed: user.crashed ? 1 : 0,
    }));
    statements.push(
      db
        .insert(u)
        .select(
          sql`SELECT ${col("project_id")}, ${col("release")}, ${col("did")}, ${col("crashed")} ${fromJson(JSON.stringify(rows))}`,
        )
        .onConflictDoUpdate({
          target: [u.projectId, u.release, u.userKey],
          set: { crashed: sql`max(${u.crashed}, excluded.crashed)` },
        }),
    );
  }
  return statements;
}

/** The message's statements, mark first; `events` are its events not stored yet. */
export function tenantStatements(
  db: Orm,
  item: PreparedMessage,
  events: PreparedEvent[],
  issues: IssueRow[],
): Statement[] {
  return [
    db.insert(errorBatches).values({
      key: messageMark(item.message.id),
      items: item.body.items.length,
      duplicates: item.events.length - events.length,
      processedAt: Date.now(),
    }),
    ...eventStatements(db, item, events),
    ...(issues.length > 0 ? [issueStatement(db, issues)] : []),
    ...countStatements(db, events),
    ...sessionStatements(db, item),
  ];
}
