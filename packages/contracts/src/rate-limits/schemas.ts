import { z } from "zod";
import { SubscriptionTierSchema } from "../shared/common.ts";

/**
 * What each limit counts and by what key. Update checks and downloads are counted per installation,
 * not per company: a per-company budget would stop a large company from updating at all.
 */
export const RateLimitNameSchema = z.enum([
  "validate",
  "register",
  "update_check",
  "download",
  "telemetry",
  "error_events",
]);
export type RateLimitName = z.infer<typeof RateLimitNameSchema>;

export const RateLimitPolicySchema = z
  .object({
    limit: z.number().int().min(1).max(1_000_000),
    window_seconds: z.number().int().min(1).max(86_400),
  })
  .meta({ id: "RateLimitPolicy" });
export type RateLimitPolicy = z.infer<typeof RateLimitPolicySchema>;

export const rateLimitKeys: Record<RateLimitName, "ip" | "installation" | "error_project"> = {
  validate: "ip",
  register: "ip",
  update_check: "installation",
  download: "installation",
  // Per installation, or per API key for server-to-server senders.
  telemetry: "installation",
  // Sentry envelopes, per error project (DSN): every installation of an app shares its DSN.
  error_events: "error_project",
};

/** Seed 000's limits; each tier starts from these and operators can override per tier. */
export const defaultRateLimits: Record<RateLimitName, RateLimitPolicy> = {
  validate: { limit: 10, window_seconds: 60 },
  register: { limit: 5, window_seconds: 3600 },
  update_check: { limit: 60, window_seconds: 3600 },
  download: { limit: 5, window_seconds: 3600 },
  // Apps flush every few seconds at most; a gateway sends big batches rather than many.
  telemetry: { limit: 120, window_seconds: 60 },
  // One envelope per event or session update; a crash loop across a fleet is what this stops.
  error_events: { limit: 1200, window_seconds: 60 },
};

export const RateLimitTableSchema = z
  .object({
    success: z.literal(true),
    tiers: z.record(SubscriptionTierSchema, z.record(RateLimitNameSchema, RateLimitPolicySchema)),
    anonymous: z.record(RateLimitNameSchema, RateLimitPolicySchema).meta({
      description:
        "Limits for callers not yet tied to a company (register, validate with an unknown code), per IP",
    }),
  })
  .meta({ id: "RateLimitTable" });

export const RateLimitParamsSchema = z.object({ tier: SubscriptionTierSchema, name: RateLimitNameSchema });
