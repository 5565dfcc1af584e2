// Token buckets kept in a Durable Object's SQLite storage. A bucket holds up to `limit` tokens and
// refills continuously at limit/window, so a burst of `limit` is allowed and then one request per
// window/limit. The object is the only writer of its buckets, so read-modify-write needs no lock,
// and the buckets it has read stay in memory. Written through by default; the CompanyHub writes
// them behind, at its alarm (`save()`), because a storage write per request held every answer
// until the write was durable (the output gate) and was the feed check's largest cost.
import type { RateLimitPolicy } from "@nexus/contracts";

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until the next request would be allowed (0 when allowed). */
  retryAfterSeconds: number;
  windowSeconds: number;
}

const SCHEMA = `CREATE TABLE IF NOT EXISTS rate_buckets (
  key TEXT PRIMARY KEY,
  tokens REAL NOT NULL,
  updated_at INTEGER NOT NULL
)`;

// Buckets untouched this long are full again; deleting them loses nothing.
export const STALE_BUCKET_MS = 24 * 60 * 60 * 1000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBuckets {
  readonly #sql: SqlStorage;
  readonly #writeBehind: boolean;
  readonly #buckets = new Map<string, Bucket>();
  readonly #unsaved = new Set<string>();

  /**
   * `writeBehind`: changes are kept in memory until `save()`. A restart then forgets at most the
   * tokens taken since the last save, so limits are briefly more lenient, never stricter.
   */
  constructor(sql: SqlStorage, options: { writeBehind?: boolean } = {}) {
    this.#sql = sql;
    this.#writeBehind = options.writeBehind ?? false;
    this.#sql.exec(SCHEMA);
  }

  #bucket(key: string): Bucket | undefined {
    const known = this.#buckets.get(key);
    if (known) return known;
    const row = this.#sql
      .exec<{ tokens: number; updated_at: number }>(
        "SELECT tokens, updated_at FROM rate_buckets WHERE key = ?",
        key,
      )
      .toArray()[0];
    if (!row) return undefined;
    const bucket = { tokens: row.tokens, updatedAt: row.updated_at };
    this.#buckets.set(key, bucket);
    return bucket;
  }

  #write(key: string, bucket: Bucket): void {
    this.#sql.exec(
      `INSERT INTO rate_buckets (key, tokens, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET tokens = ?2, updated_at = ?3`,
      key,
      bucket.tokens,
      bucket.updatedAt,
    );
  }

  /** Writes the buckets changed since the last save (write-behind only). */
  save(): void {
    for (const key of this.#unsaved) {
      const bucket = this.#buckets.get(key);
      if (bucket) this.#write(key, bucket);
    }
    this.#unsaved.clear();
  }

  /** Takes `cost` tokens if there are that many (cost 0 reads the bucket's state without taking). */
  take(key: string, policy: RateLimitPolicy, now = Date.now(), cost = 1): RateLimitDecision {
    const perMs = policy.limit / (policy.window_seconds * 1000);
    let tokens = this.#refilled(key, policy, now);
    const allowed = tokens >= cost;
    if (allowed) tokens -= cost;
    this.#set(key, tokens, now);
    return {
      allowed,
      limit: policy.limit,
      remaining: Math.max(0, Math.floor(tokens)),
      resetSeconds: Math.ceil((policy.limit - tokens) / perMs / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((Math.max(1, cost) - tokens) / perMs / 1000)),
      windowSeconds: policy.window_seconds,
    };
  }

  /**
   * Gives `tokens` back (at most up to the limit), or with a negative count takes them even when the
   * bucket has fewer: a charge settled after the fact (the LLM gateway's tokens/minute, known only
   * when the call ends) leaves a debt that the refill pays off before the next take succeeds.
   */
  adjust(key: string, policy: RateLimitPolicy, tokens: number, now = Date.now()): void {
    this.#set(key, Math.min(policy.limit, this.#refilled(key, policy, now) + tokens), now);
  }

  #refilled(key: string, policy: RateLimitPolicy, now: number): number {
    const row = this.#bucket(key);
    if (!row) return policy.limit;
    const perMs = policy.limit / (policy.window_seconds * 1000);
    return Math.min(policy.limit, row.tokens + Math.max(0, now - row.updatedAt) * perMs);
  }

  #set(key: string, tokens: number, now: number): void {
    const bucket = { tokens, updatedAt: now };
    this.#buckets.set(key, bucket);
    if (this.#writeBehind) this.#unsaved.add(key);
    else this.#write(key, bucket);
  }

  purgeStale(now = Date.now()): number {
    this.save();
    for (const [key, bucket] of this.#buckets) {
      if (bucket.updatedAt < now - STALE_BUCKET_MS) this.#buckets.delete(key);
    }
    return this.#sql.exec("DELETE FROM rate_buckets WHERE updated_at < ?", now - STALE_BUCKET_MS).rowsWritten;
  }
}
