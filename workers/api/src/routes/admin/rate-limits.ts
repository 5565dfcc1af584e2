import {
  defaultRateLimits,
  type RateLimitName,
  type RateLimitPolicy,
  routes,
  SubscriptionTierSchema,
} from "@nexus/contracts";
import { rateLimitOverrides } from "@nexus/db/central";
import { Hono } from "hono";
import { loadTierLimits } from "../../durable-objects/hub-company-state.ts";
import type { AppEnv } from "../../env.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";

const { listRateLimits, setRateLimit } = routes;

async function rateLimitTable(db: D1Database) {
  const tiers = {} as Record<string, Record<RateLimitName, RateLimitPolicy>>;
  for (const tier of SubscriptionTierSchema.options) tiers[tier] = await loadTierLimits(db, tier);
  return { success: true as const, tiers, anonymous: defaultRateLimits };
}

export const rateLimitAdminRoutes = new Hono<AppEnv>()
  .get(listRateLimits.path, async (c) => c.json(await rateLimitTable(c.env.CENTRAL_DB)))
  .put(
    honoPath(setRateLimit.path),
    validParams(setRateLimit.params),
    jsonBody(setRateLimit.body),
    async (c) => {
      const { tier, name } = c.req.valid("param");
      const policy = c.req.valid("json");
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
      return c.json(await rateLimitTable(c.env.CENTRAL_DB));
    },
  );
