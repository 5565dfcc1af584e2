// The optional exact cache (off by default): a completion kept per request body, in the company's
// own database, so the key needs no company part. Only complete answers are kept (a cut stream or
// an estimate never is), and a hit costs nothing and is logged as `cached`.
import type { ChatCompletion, ChatCompletionRequest } from "@nexus/contracts";
import { llmCache } from "@nexus/db/tenant";
import { sha256Hex } from "@nexus/security";
import { and, eq, gt, lt } from "drizzle-orm";
import { tenantOrm } from "../machines.ts";

/** Fields that change how an answer is delivered or attributed, not what it says. */
const DELIVERY_FIELDS = new Set(["stream", "stream_options", "user"]);

/** JSON with sorted keys, so the same request always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function cacheKey(request: ChatCompletionRequest): Promise<string> {
  const content = Object.fromEntries(Object.entries(request).filter(([key]) => !DELIVERY_FIELDS.has(key)));
  return sha256Hex(canonical(content));
}

export async function cachedCompletion(
  tenantDb: D1Database,
  key: string,
  now: number,
): Promise<ChatCompletion | null> {
  const [row] = await tenantOrm(tenantDb)
    .select({ completion: llmCache.completion })
    .from(llmCache)
    .where(and(eq(llmCache.key, key), gt(llmCache.expiresAt, now)))
    .limit(1);
  return row?.completion ?? null;
}

async function storeCompletion(
  tenantDb: D1Database,
  entry: { key: string; model: string; completion: ChatCompletion; expiresAt: number },
  now: number,
): Promise<void> {
  const orm = tenantOrm(tenantDb);
  await orm.batch([
    orm.delete(llmCache).where(lt(llmCache.expiresAt, now)),
    orm
      .insert(llmCache)
      .values({ ...entry, createdAt: now })
      .onConflictDoUpdate({
        target: llmCache.key,
        set: { completion: entry.completion, createdAt: now, expiresAt: entry.expiresAt },
      }),
  ]);
}

/** Keeps a complete answer for `ttlSeconds`, after the response; a failure only costs a future hit. */
export function keepCompletion(
  ctx: Pick<ExecutionContext, "waitUntil">,
  tenantDb: D1Database,
  entry: { key: string; model: string; completion: ChatCompletion; ttlSeconds: number },
): void {
  const now = Date.now();
  const { ttlSeconds, ...rest } = entry;
  ctx.waitUntil(
    storeCompletion(tenantDb, { ...rest, expiresAt: now + ttlSeconds * 1000 }, now).catch((error: unknown) =>
      console.error(
        JSON.stringify({ level: "error", event: "llm_cache_store_failed", error: String(error) }),
      ),
    ),
  );
}
