import { operation } from "../../lib/operation.ts";
import { rateLimitTable } from "../../services/rate-limits.ts";

export const listRateLimits = operation("listRateLimits", async (c) => ({
  success: true,
  ...(await rateLimitTable(c.env)),
}));
