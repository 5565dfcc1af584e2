import { operation, withStatus } from "../../lib/operation.ts";
import { centralDbCheck } from "../../services/health.ts";

export const health = operation("health", async (c) => {
  const centralDb = await centralDbCheck(c.get("db"));
  const ok = centralDb === "ok";
  return withStatus(ok ? 200 : 503, { status: ok ? "ok" : "degraded", checks: { central_db: centralDb } });
});
