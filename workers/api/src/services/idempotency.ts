// Idempotency-Key support: a retried request with the same key (from the same credential and with
// the same body) gets the first response back and causes nothing new.
import { idempotencyKeys } from "@nexus/db/central";
import { sha256Hex } from "@nexus/security";
import { and, eq, lt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** How long a key is remembered; a retry after that runs as a new request. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface IdempotencySlot {
  scope: string;
  key: string;
  requestHash: string;
}

export async function idempotencySlot(c: Context<AppEnv>, body: unknown): Promise<IdempotencySlot | null> {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return null;
  if (!KEY_PATTERN.test(key)) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "Idempotency-Key must be 1–255 visible ASCII characters (a UUID is ideal).",
    );
  }
  // Scoped by credential: two callers choosing the same key never see each other's response.
  const [scope, requestHash] = await Promise.all([
    sha256Hex(c.req.header("authorization") ?? ""),
    sha256Hex(JSON.stringify(body)),
  ]);
  return { scope, key, requestHash };
}

function where(slot: IdempotencySlot) {
  return and(eq(idempotencyKeys.scope, slot.scope), eq(idempotencyKeys.key, slot.key));
}

/** The first request's answer, given again to its retry. */
export interface Replay<T> {
  status: ContentfulStatusCode;
  body: T;
}

function replayOrConflict<T>(
  c: Context<AppEnv>,
  slot: IdempotencySlot,
  row: typeof idempotencyKeys.$inferSelect,
): Replay<T> {
  if (row.requestHash !== slot.requestHash) {
    throw new ApiError(
      "IDEMPOTENCY_KEY_REUSED",
      "This Idempotency-Key was already used with a different request body. Use a new key for a new request.",
    );
  }
  if (row.status !== "completed" || row.responseBody === null || row.responseStatus === null) {
    throw new ApiError(
      "IDEMPOTENCY_REQUEST_IN_PROGRESS",
      "A request with this Idempotency-Key is still being processed.",
      {
        action: "retry",
      },
    );
  }
  c.header("Idempotent-Replayed", "true");
  // The body the operation stored with completeIdempotentStatement: its own response type.
  return {
    status: row.responseStatus as ContentfulStatusCode,
    body: JSON.parse(row.responseBody) as T,
  };
}

/** The stored response for a completed earlier request, or null when this one should run. */
export async function findReplay<T>(c: Context<AppEnv>, slot: IdempotencySlot): Promise<Replay<T> | null> {
  const [row] = await c.get("db").select().from(idempotencyKeys).where(where(slot)).limit(1);
  if (!row) return null;
  if (row.createdAt.getTime() < Date.now() - IDEMPOTENCY_WINDOW_MS) {
    await c.get("db").delete(idempotencyKeys).where(where(slot));
    return null;
  }
  return replayOrConflict<T>(c, slot, row);
}

/**
 * A key left "in progress" by a request that died would answer 409 for a day; once it is older than
 * `staleAfterMs` (the longest the request can take), the retry takes the key over.
 */
export async function releaseAbandonedKey(
  c: Context<AppEnv>,
  slot: IdempotencySlot,
  staleAfterMs: number,
): Promise<void> {
  await c
    .get("db")
    .delete(idempotencyKeys)
    .where(
      and(
        where(slot),
        eq(idempotencyKeys.status, "in_progress"),
        lt(idempotencyKeys.createdAt, new Date(Date.now() - staleAfterMs)),
      ),
    );
}

/** Forgets keys past the window (run daily by the cron trigger). Returns how many were removed. */
export async function purgeExpiredIdempotencyKeys(db: D1Database, now = Date.now()): Promise<number> {
  const result = await drizzle(db)
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(now - IDEMPOTENCY_WINDOW_MS)))
    .run();
  return result.meta.changes;
}

/** Claims the key for this request; a concurrent request with the same key gets a 409 or the replay. */
export async function beginIdempotent<T>(
  c: Context<AppEnv>,
  slot: IdempotencySlot,
): Promise<Replay<T> | null> {
  const db = c.get("db");
  const inserted = await db
    .insert(idempotencyKeys)
    .values({ ...slot, status: "in_progress" })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key });
  if (inserted.length > 0) return null;
  const [row] = await db.select().from(idempotencyKeys).where(where(slot)).limit(1);
  if (!row) throw new ApiError("IDEMPOTENCY_REQUEST_IN_PROGRESS", "Retry this request.", { action: "retry" });
  return replayOrConflict<T>(c, slot, row);
}

export function completeIdempotentStatement(
  c: Context<AppEnv>,
  slot: IdempotencySlot,
  status: number,
  body: unknown,
) {
  return c
    .get("db")
    .update(idempotencyKeys)
    .set({ status: "completed", responseStatus: status, responseBody: JSON.stringify(body) })
    .where(where(slot));
}

/** Frees the key after a failure, so the client's retry runs the request again. */
export async function abandonIdempotent(c: Context<AppEnv>, slot: IdempotencySlot): Promise<void> {
  await c.get("db").delete(idempotencyKeys).where(where(slot));
}
