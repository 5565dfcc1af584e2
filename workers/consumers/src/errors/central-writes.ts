// A message's writes to the central database, in one D1 batch made before its tenant batch: the
// ingest counts per project and day, the desktop app's release health (summed over every company,
// keyed by version) and the webhook outbox rows of new and regressed issues. The batch opens with the
// message's mark in idempotency_keys (scope `queue:nexus-errors`, kept a day), so a redelivery that
// finds it skips to the tenant batch — the part that failed — and counts nothing here twice. The
// outbox rows have ids derived from what they announce, so however often they are written (a retry,
// two batches racing on one new issue) each is one event.
import type { EventsQueueMessage, WebhookEventData } from "@nexus/contracts";
import { errorText } from "@nexus/db";
import { errorIngestStats, idempotencyKeys, releaseHealth, webhookEvents } from "@nexus/db/central";
import { sha256Hex } from "@nexus/security";
import { sql } from "drizzle-orm";
import type { Orm, Statement } from "../db.ts";
import type { IssueNotice } from "./issues.ts";
import { releaseVersion, type SessionBucket } from "./sessions.ts";

const MARK_SCOPE = "queue:nexus-errors";

export const isCentralAppliedBefore = (error: unknown) =>
  errorText(error).includes("UNIQUE constraint failed: idempotency_keys.scope, idempotency_keys.key");

/** Which of the messages' central writes were made already (one query). */
export async function readCentralMarks(central: Orm, messageIds: string[]): Promise<Set<string>> {
  const rows = await central
    .select({ key: idempotencyKeys.key })
    .from(idempotencyKeys)
    .where(
      sql`${idempotencyKeys.scope} = ${MARK_SCOPE} AND ${idempotencyKeys.key} IN (SELECT value FROM json_each(${JSON.stringify(messageIds)}))`,
    );
  return new Set(rows.map((row) => row.key));
}

/** A version's share of a message: sessions by outcome, and users not counted for it before. */
export interface HealthDelta {
  version: string;
  sessions: number;
  errored: number;
  crashed: number;
  abnormal: number;
  users: number;
  crashedUsers: number;
}

/** Sums session buckets per version; `newUsers` are the users (per release) first seen or first crashed. */
export function healthDeltas(
  buckets: SessionBucket[],
  newUsers: { release: string; isNew: boolean; newlyCrashed: boolean }[],
): HealthDelta[] {
  const deltas = new Map<string, HealthDelta>();
  const delta = (release: string) => {
    const version = releaseVersion(release);
    const existing = deltas.get(version);
    if (existing) return existing;
    const created = { version, sessions: 0, errored: 0, crashed: 0, abnormal: 0, users: 0, crashedUsers: 0 };
    deltas.set(version, created);
    return created;
  };
  for (const bucket of buckets) {
    const row = delta(bucket.release);
    row.sessions += bucket.started;
    row.errored += bucket.errored;
    row.crashed += bucket.crashed;
    row.abnormal += bucket.abnormal;
  }
  for (const user of newUsers) {
    if (!user.isNew && !user.newlyCrashed) continue;
    const row = delta(user.release);
    if (user.isNew) row.users += 1;
    if (user.newlyCrashed) row.crashedUsers += 1;
  }
  return [...deltas.values()];
}

export interface OutboxEvent {
  id: string;
  type: "error.issue.created" | "error.issue.regressed";
  data: WebhookEventData<"error.issue.created">;
}

/** The outbox events for a company's new and regressed issues, with ids derived from what they say. */
export async function issueEvents(
  companyId: string,
  projectId: number,
  created: IssueNotice[],
  regressed: IssueNotice[],
): Promise<OutboxEvent[]> {
  const event = async (type: OutboxEvent["type"], notice: IssueNotice, identity: string) => ({
    id: `${type === "error.issue.created" ? "errnew" : "errreg"}_${(await sha256Hex(identity)).slice(0, 32)}`,
    type,
    data: {
      issue_id: notice.issueId,
      project_id: projectId,
      title: notice.title,
      level: notice.level,
      release: notice.release,
    },
  });
  return Promise.all([
    ...created.map((notice) => event("error.issue.created", notice, `${companyId}|${notice.issueId}`)),
    ...regressed.map((notice) =>
      event("error.issue.regressed", notice, `${companyId}|${notice.issueId}|${notice.resolution ?? ""}`),
    ),
  ]);
}

export interface CentralPlan {
  messageId: string;
  companyId: string;
  projectId: number;
  day: string;
  events: number;
  sessions: number;
  health: HealthDelta[];
  outbox: OutboxEvent[];
}

export function centralStatements(db: Orm, plan: CentralPlan, now: number): Statement[] {
  const statements: Statement[] = [
    db.insert(idempotencyKeys).values({
      scope: MARK_SCOPE,
      key: plan.messageId,
      requestHash: "",
      status: "completed",
      createdAt: new Date(now),
    }),
  ];
  if (plan.events + plan.sessions > 0) {
    const s = errorIngestStats;
    statements.push(
      db
        .insert(s)
        .values({ projectId: plan.projectId, day: plan.day, events: plan.events, sessions: plan.sessions })
        .onConflictDoUpdate({
          target: [s.projectId, s.day],
          set: {
            events: sql`${s.events} + excluded.events`,
            sessions: sql`${s.sessions} + excluded.sessions`,
          },
        }),
    );
  }
  for (const delta of plan.health) {
    const h = releaseHealth;
    statements.push(
      db
        .insert(h)
        .values({
          version: delta.version,
          sessions: delta.sessions,
          erroredSessions: delta.errored,
          crashedSessions: delta.crashed,
          abnormalSessions: delta.abnormal,
          users: delta.users,
          crashedUsers: delta.crashedUsers,
          updatedAt: new Date(now),
        })
        .onConflictDoUpdate({
          target: h.version,
          set: {
            sessions: sql`${h.sessions} + excluded.sessions`,
            erroredSessions: sql`${h.erroredSessions} + excluded.errored_sessions`,
            crashedSessions: sql`${h.crashedSessions} + excluded.crashed_sessions`,
            abnormalSessions: sql`${h.abnormalSessions} + excluded.abnormal_sessions`,
            users: sql`${h.users} + excluded.users`,
            crashedUsers: sql`${h.crashedUsers} + excluded.crashed_users`,
            updatedAt: sql`excluded.updated_at`,
          },
        }),
    );
  }
  for (const event of plan.outbox) {
    statements.push(
      db
        .insert(webhookEvents)
        .values({ id: event.id, companyId: plan.companyId, type: event.type, data: event.data })
        .onConflictDoNothing({ target: webhookEvents.id }),
    );
  }
  return statements;
}

/**
 * Announces committed outbox rows. Never throws: an event whose announcement failed is sent by the
 * sweeper within minutes.
 */
export async function announce(queue: Queue, eventIds: string[]): Promise<void> {
  try {
    // A queue takes at most 100 messages per send.
    for (let start = 0; start < eventIds.length; start += 100) {
      await queue.sendBatch(
        eventIds
          .slice(start, start + 100)
          .map((id) => ({ body: { kind: "event", event_id: id } satisfies EventsQueueMessage })),
      );
    }
  } catch (error) {
    console.warn(
      JSON.stringify({
        level: "warn",
        event: "event_dispatch_deferred",
        count: eventIds.length,
        error: errorText(error),
      }),
    );
  }
}
