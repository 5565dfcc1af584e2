import { operation } from "../../lib/operation.ts";
import { rateLimitTable, setTierRateLimit } from "../../services/rate-limits.ts";

export const setRateLimit = operation("setRateLimit", async (c, { params, body }) => {
  await setTierRateLimit(c, params.tier, params.name, body);
  return { success: true, ...(await rateLimitTable(c.env)) };
});
