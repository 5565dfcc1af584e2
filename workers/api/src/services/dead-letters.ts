// Dead letters: the queue messages workers/consumers kept after they failed every retry (telemetry
// batches, webhook fan-outs and deliveries, inbound webhooks). Operators list and inspect them, send
// them back onto their original queue (marked replayed; if the message fails again it comes back as a
// new dead letter), or discard them (kept for the record, never replayed).
import type { DeadLetter, DeadLetterDetail } from "@nexus/contracts";
import { deadLetters } from "@nexus/db/central";
import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv, CentralDb } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { auditStatement } from "./audit.ts";
import { listPage, type PageRequest } from "./list-page.ts";

const t = deadLetters;
type DeadLetterRow = typeof t.$inferSelect;

/** The queue a message was consumed from: its dead-letter queue's name without `-dlq`. */
export const originalQueueOf = (queue: string) => queue.replace(/-dlq$/, "");

/** The API's producer for a queue (environment suffixes such as `nexus-events-staging` included). */
function producerFor(env: Env, queue: string): Queue | null {
  if (/^nexus-telemetry(-[a-z0-9]+)?$/.test(queue)) return env.TELEMETRY_QUEUE;
  if (/^nexus-events(-[a-z0-9]+)?$/.test(queue)) return env.EVENTS_QUEUE;
  if (/^nexus-notifications(-[a-z0-9]+)?$/.test(queue)) return env.NOTIFICATIONS_QUEUE;
  return null;
}

const kindOf = (body: unknown) => {
  const kind = body && typeof body === "object" ? (body as { kind?: unknown }).kind : undefined;
  return typeof kind === "string" ? kind : null;
};

/**
 * The body to send again. A webhook delivery that was dead-lettered is marked failed, and an
 * undelivered notification stays so: each consumer only tries again when the message says it is a
 * manual one.
 */
function replayBody(body: unknown): unknown {
  const kind = kindOf(body);
  return kind === "delivery" || kind === "deliver" ? { ...(body as object), manual: true } : body;
}

function baseView(row: DeadLetterRow) {
  return {
    id: row.id,
    queue: row.queue,
    original_queue: originalQueueOf(row.queue),
    message_id: row.messageId,
    kind: kindOf(row.body),
    company_id: row.companyId,
    attempts: row.attempts,
    state: row.state,
    created_at: row.createdAt.toISOString(),
    resolved_at: row.resolvedAt?.toISOString() ?? null,
    resolved_by: row.resolvedBy,
  };
}

export const toDeadLetterSummary = (row: DeadLetterRow): DeadLetter => ({
  ...baseView(row),
  body_bytes: new TextEncoder().encode(JSON.stringify(row.body ?? null)).byteLength,
});

export const toDeadLetterDetail = (row: DeadLetterRow): DeadLetterDetail => ({
  ...baseView(row),
  body: row.body,
});

export async function deadLetterById(db: CentralDb, id: string): Promise<DeadLetterRow> {
  const [row] = await db.select().from(t).where(eq(t.id, id)).limit(1);
  if (!row) throw new ApiError("NOT_FOUND", `No dead letter has the id ${id}.`);
  return row;
}

function alreadyResolved(row: DeadLetterRow): ApiError {
  return new ApiError(
    "DEAD_LETTER_RESOLVED",
    `This dead letter was already ${row.state} at ${row.resolvedAt?.toISOString() ?? "an earlier time"}${row.resolvedBy ? ` by ${row.resolvedBy}` : ""}.`,
    { state: row.state },
  );
}

export interface DeadLetterFilters {
  queue?: string | undefined;
  kind?: string | undefined;
  company_id?: string | undefined;
  state?: DeadLetterRow["state"] | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

/** One page of dead letters, newest first. */
export function deadLetterPage(db: CentralDb, page: PageRequest, filters: DeadLetterFilters) {
  return listPage(
    page,
    t.id,
    [
      filters.queue ? eq(t.queue, filters.queue) : undefined,
      // Raw: the kind is inside the JSON body, and drizzle has no json_extract.
      filters.kind ? sql`json_extract(${t.body}, '$.kind') = ${filters.kind}` : undefined,
      filters.company_id ? eq(t.companyId, filters.company_id) : undefined,
      filters.state ? eq(t.state, filters.state) : undefined,
      filters.since ? gte(t.createdAt, new Date(filters.since)) : undefined,
      filters.until ? lt(t.createdAt, new Date(filters.until)) : undefined,
    ],
    ({ where, orderBy, limit }) => db.select().from(t).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
}

/**
 * Claims pending letters (one conditional update, so two operators never replay the same letter),
 * sends each onto its original queue, and releases the claim again if the queue refuses them.
 */
async function replay(
  c: Context<AppEnv>,
  resolvedBy: string,
  ids: string[],
): Promise<{ replayed: DeadLetterRow[]; unroutable: DeadLetterRow[] }> {
  const db = c.get("db");
  const candidates = await db
    .select()
    .from(t)
    .where(and(inArray(t.id, ids), eq(t.state, "pending")));
  const unroutable = candidates.filter((row) => !producerFor(c.env, originalQueueOf(row.queue)));
  const routable = candidates.filter((row) => producerFor(c.env, originalQueueOf(row.queue)));
  if (routable.length === 0) return { replayed: [], unroutable };
  const claimed = await db
    .update(t)
    .set({ state: "replayed", resolvedAt: new Date(), resolvedBy })
    .where(
      and(
        inArray(
          t.id,
          routable.map((row) => row.id),
        ),
        eq(t.state, "pending"),
      ),
    )
    .returning();
  const byQueue = new Map<Queue, DeadLetterRow[]>();
  for (const row of claimed) {
    const producer = producerFor(c.env, originalQueueOf(row.queue));
    if (producer) byQueue.set(producer, [...(byQueue.get(producer) ?? []), row]);
  }
  try {
    for (const [producer, rows] of byQueue) {
      await producer.sendBatch(rows.map((row) => ({ body: replayBody(row.body) })));
    }
  } catch (error) {
    // Nothing is lost: the letters are pending again, to replay once the queue is back. (A batch sent
    // before the failure may be replayed twice; the consumers apply each message once.)
    await db
      .update(t)
      .set({ state: "pending", resolvedAt: null, resolvedBy: null })
      .where(
        inArray(
          t.id,
          claimed.map((row) => row.id),
        ),
      );
    console.error(
      JSON.stringify({ level: "error", event: "dead_letter_replay_failed", error: String(error) }),
    );
    throw new ApiError("SERVICE_UNAVAILABLE", "The queue did not accept the messages; try again.", {
      action: "retry",
    });
  }
  return { replayed: claimed, unroutable };
}

/** Replays one pending letter; a resolved one, or one whose queue has no producer here, is refused. */
export async function replayLetter(
  c: Context<AppEnv>,
  resolvedBy: string,
  id: string,
): Promise<DeadLetterRow> {
  const db = c.get("db");
  const row = await deadLetterById(db, id);
  if (row.state !== "pending") throw alreadyResolved(row);
  const { replayed, unroutable } = await replay(c, resolvedBy, [id]);
  if (unroutable.length > 0) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `The queue ${originalQueueOf(row.queue)} has no producer in this deployment; the dead letter cannot be replayed.`,
    );
  }
  if (replayed.length === 0) throw alreadyResolved(await deadLetterById(db, id));
  await auditStatement(c, {
    // The company named in a message body may not exist (a poison message): kept in details only.
    companyId: null,
    action: "dead_letter.replayed",
    targetType: "dead_letter",
    targetId: id,
    details: { queue: originalQueueOf(row.queue), kind: kindOf(row.body), company_id: row.companyId },
  });
  return deadLetterById(db, id);
}

/** Replays every pending letter among `ids`; says why each other one was skipped. */
export async function replayLetters(c: Context<AppEnv>, resolvedBy: string, requested: string[]) {
  const ids = [...new Set(requested)];
  const { replayed, unroutable } = await replay(c, resolvedBy, ids);
  if (replayed.length > 0) {
    await auditStatement(c, {
      companyId: null,
      action: "dead_letter.replayed",
      targetType: "dead_letter",
      details: { ids: replayed.map((row) => row.id) },
    });
  }
  const done = new Set(replayed.map((row) => row.id));
  const unroutableIds = new Set(unroutable.map((row) => row.id));
  const rest = ids.filter((id) => !done.has(id));
  const states = new Map(
    rest.length > 0
      ? (await c.get("db").select({ id: t.id, state: t.state }).from(t).where(inArray(t.id, rest))).map(
          (row) => [row.id, row.state] as const,
        )
      : [],
  );
  return {
    replayed: [...done],
    skipped: rest.map((id) => ({
      id,
      reason: unroutableIds.has(id)
        ? "its queue has no producer in this deployment"
        : states.has(id)
          ? `already ${states.get(id)}`
          : "no dead letter has this id",
    })),
  };
}

/** Marks a pending letter discarded (once; a resolved one is refused). */
export async function discardLetter(
  c: Context<AppEnv>,
  resolvedBy: string,
  id: string,
): Promise<DeadLetterRow> {
  const db = c.get("db");
  const [discarded] = await db
    .update(t)
    .set({ state: "discarded", resolvedAt: new Date(), resolvedBy })
    .where(and(eq(t.id, id), eq(t.state, "pending")))
    .returning();
  if (!discarded) throw alreadyResolved(await deadLetterById(db, id));
  await auditStatement(c, {
    companyId: null,
    action: "dead_letter.discarded",
    targetType: "dead_letter",
    targetId: id,
    details: { queue: discarded.queue, kind: kindOf(discarded.body), company_id: discarded.companyId },
  });
  return discarded;
}
