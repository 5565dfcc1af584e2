import { adminErrors, bodyErrors, define } from "../shared/route-contract.ts";
import { RateLimitParamsSchema, RateLimitPolicySchema, RateLimitTableSchema } from "./schemas.ts";

export const rateLimitRoutes = {
  listRateLimits: define({
    method: "get",
    path: "/api/admin/rate-limits",
    summary: "Effective rate limits per subscription tier, and the anonymous (per-IP) ones",
    tag: "operator",
    auth: "operator",
    status: 200,
    response: RateLimitTableSchema,
    errors: [...adminErrors],
  }),
  setRateLimit: define({
    method: "put",
    path: "/api/admin/rate-limits/{tier}/{name}",
    summary: "Change one rate limit of a tier (companies pick it up within minutes)",
    tag: "operator",
    auth: "operator",
    params: RateLimitParamsSchema,
    body: RateLimitPolicySchema,
    status: 200,
    response: RateLimitTableSchema,
    errors: [...adminErrors, ...bodyErrors],
  }),
} as const;
