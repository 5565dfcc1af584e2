import { operation } from "../../lib/operation.ts";
import { queryUpdateStats } from "../../services/updates/stats.ts";

export const updateStats = operation("updateStats", async (c, { query }) => ({
  success: true,
  rows: await queryUpdateStats(c.get("db"), query),
}));
