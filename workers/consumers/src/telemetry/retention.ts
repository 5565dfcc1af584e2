// Daily housekeeping over every tenant database: minute roll-ups older than the retention are
// deleted (hour and day roll-ups stay), and so are idempotency keys older than any batch the API
// still accepts (samples older than 7 days are refused, so a key older than 8 days cannot recur).
import { TELEMETRY_LIMITS } from "@nexus/contracts";
import { telemetryBatches, telemetryMinute } from "@nexus/db/tenant";
import { lt } from "drizzle-orm";
import { forEachTenant } from "../tenant-walk.ts";

const DAY_MS = 86_400_000;
const KEY_RETENTION_MS = TELEMETRY_LIMITS.maxAgeMs + DAY_MS;

export async function purgeOldTelemetry(
  env: { CENTRAL_DB: D1Database; TELEMETRY_MINUTE_RETENTION_DAYS?: string },
  now = Date.now(),
): Promise<{ companies: number; failed: number }> {
  const days = Math.max(1, Number(env.TELEMETRY_MINUTE_RETENTION_DAYS ?? 30) || 30);
  return forEachTenant(env, "telemetry_purge", async (db) => {
    await db.batch([
      db.delete(telemetryMinute).where(lt(telemetryMinute.bucket, now - days * DAY_MS)),
      db.delete(telemetryBatches).where(lt(telemetryBatches.processedAt, now - KEY_RETENTION_MS)),
    ]);
  });
}
