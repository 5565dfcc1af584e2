// Applying rate limits: the decision comes from a token bucket in a Durable Object (the company's
// CompanyHub, or a per-IP RateLimiter for callers not yet tied to a company); this module turns it
// into headers (draft-ietf-httpapi-ratelimit-headers) and, when exhausted, the 429 envelope.
import {
  defaultRateLimits,
  type RateLimitName,
  type RateLimitPolicy,
  type SubscriptionTier,
  SubscriptionTierSchema,
} from "@nexus/contracts";
import { rateLimitOverrides } from "@nexus/db/central";
import type { Context } from "hono";
import { loadTierLimits } from "../durable-objects/hub-company-state.ts";
import type { UpdateEvent } from "../durable-objects/hub-update-counts.ts";
import type { RateLimitDecision } from "../durable-objects/token-buckets.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { auditStatement, clientIp } from "./audit.ts";
import { companyHub, unwrap } from "./hub.ts";

function apply(c: Context<AppEnv>, name: RateLimitName, decision: RateLimitDecision): void {
  const policy = `"${name}";q=${decision.limit};w=${decision.windowSeconds}`;
  const state = `"${name}";r=${decision.remaining};t=${decision.resetSeconds}`;
  c.header("RateLimit-Policy", policy);
  c.header("RateLimit", state);
  if (!decision.allowed) {
    throw new ApiError(
      "RATE_LIMITED",
      `Too many ${name.replace("_", " ")} requests. Try again in ${decision.retryAfterSeconds} s.`,
      {
        action: "retry",
        retry_after_seconds: decision.retryAfterSeconds,
        limit: decision.limit,
        window_seconds: decision.windowSeconds,
      },
      { "Retry-After": String(decision.retryAfterSeconds), "RateLimit-Policy": policy, RateLimit: state },
    );
  }
}

/** Caller's IP as the bucket key; requests without one (local tools) share one bucket. */
const ipKey = (c: Context<AppEnv>) => `ip:${clientIp(c) ?? "unknown"}`;

/** Limits a caller not yet tied to a company, per IP, with the anonymous defaults. */
export async function limitAnonymous(c: Context<AppEnv>, name: RateLimitName): Promise<void> {
  const key = ipKey(c);
  const limiter = c.env.RATE_LIMITER.get(c.env.RATE_LIMITER.idFromName(key));
  apply(c, name, await limiter.take(`${name}:${key}`, defaultRateLimits[name]));
}

/** A feed request's limit and its count in the company's hub, in one call (see CompanyHub.feedRequest). */
export async function limitAndCount(
  c: Context<AppEnv>,
  companyId: string,
  installationId: string,
  name: RateLimitName,
  count: { releaseId: string; event: UpdateEvent },
): Promise<void> {
  const item = { installationId, name, releaseId: count.releaseId, event: count.event };
  apply(c, name, unwrap(await companyHub(c.env, companyId).feedRequest(companyId, item)));
}

/** An artifact request's `download` limit and count (see CompanyHub.downloadRequest). */
export async function limitDownload(
  c: Context<AppEnv>,
  companyId: string,
  installationId: string,
  releaseId: string,
  ranged: boolean,
): Promise<void> {
  apply(
    c,
    "download",
    unwrap(await companyHub(c.env, companyId).downloadRequest(companyId, installationId, releaseId, ranged)),
  );
}

/** Limits within a company, with its tier's limits; `key` defaults to the caller's IP. */
export async function limitForCompany(
  c: Context<AppEnv>,
  companyId: string,
  name: RateLimitName,
  key = ipKey(c),
): Promise<void> {
  apply(c, name, await companyHub(c.env, companyId).rateLimit(companyId, name, key));
}

/** A telemetry batch's gate and limit, per installation or API key (see CompanyHub.telemetryRequest). */
export async function limitTelemetry(
  c: Context<AppEnv>,
  companyId: string,
  sender: { installationId: string } | { apiKeyId: string },
): Promise<void> {
  apply(c, "telemetry", unwrap(await companyHub(c.env, companyId).telemetryRequest(companyId, sender)));
}

/** The effective limits of every tier (defaults with the operators' overrides), and the anonymous ones. */
export async function rateLimitTable(env: Env) {
  const tiers = {} as Record<SubscriptionTier, Record<RateLimitName, RateLimitPolicy>>;
  for (const tier of SubscriptionTierSchema.options) tiers[tier] = await loadTierLimits(env.CENTRAL_DB, tier);
  return { tiers, anonymous: defaultRateLimits };
}

/** Overrides one limit of a tier, audited; the companies' hubs reload their tier's limits within minutes. */
export async function setTierRateLimit(
  c: Context<AppEnv>,
  tier: SubscriptionTier,
  name: RateLimitName,
  policy: RateLimitPolicy,
): Promise<void> {
  const db = c.get("db");
  const values = { limit: policy.limit, windowSeconds: policy.window_seconds, updatedAt: new Date() };
  await db.batch([
    db
      .insert(rateLimitOverrides)
      .values({ tier, name, ...values })
      .onConflictDoUpdate({ target: [rateLimitOverrides.tier, rateLimitOverrides.name], set: values }),
    auditStatement(c, {
      companyId: null,
      action: "rate_limit.changed",
      targetType: "rate_limit",
      targetId: `${tier}/${name}`,
      details: { ...policy },
    }),
  ]);
}
