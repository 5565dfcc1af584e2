import { DurableObject } from "cloudflare:workers";
import type { RateLimitPolicy } from "@nexus/contracts";
import { type RateLimitDecision, STALE_BUCKET_MS, TokenBuckets } from "./token-buckets.ts";

/**
 * Rate limits for callers not yet tied to a company (register, validate with an unknown code),
 * one object per client IP so no single object sees all anonymous traffic.
 */
export class RateLimiter extends DurableObject<Env> {
  readonly #buckets: TokenBuckets;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#buckets = new TokenBuckets(ctx.storage.sql);
  }

  async take(key: string, policy: RateLimitPolicy): Promise<RateLimitDecision> {
    const decision = this.#buckets.take(key, policy);
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(Date.now() + STALE_BUCKET_MS);
    return decision;
  }

  override async alarm(): Promise<void> {
    this.#buckets.purgeStale();
  }
}
