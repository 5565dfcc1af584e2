// Daily housekeeping over every tenant database: minute roll-ups older than the retention are
// deleted (hour and day roll-ups stay), and so are idempotency keys older than any batch the API
// still accepts (samples older than 7 days are refused, so a key older than 8 days cannot recur).
import { TELEMETRY_LIMITS } from "@nexus/contracts";
import { openTenantDatabase } from "@nexus/db";

const DAY_MS = 86_400_000;
const KEY_RETENTION_MS = TELEMETRY_LIMITS.maxAgeMs + DAY_MS;

export async function purgeOldTelemetry(
  env: { CENTRAL_DB: D1Database; TELEMETRY_MINUTE_RETENTION_DAYS?: string },
  now = Date.now(),
): Promise<{ companies: number; failed: number }> {
  const days = Math.max(1, Number(env.TELEMETRY_MINUTE_RETENTION_DAYS ?? 30) || 30);
  const { results } = await env.CENTRAL_DB.prepare(
    "SELECT company_id FROM company_databases WHERE provider = 'd1'",
  ).all<{ company_id: string }>();
  let failed = 0;
  for (const { company_id: companyId } of results) {
    try {
      const db = await openTenantDatabase(env, env.CENTRAL_DB, companyId);
      await db.batch([
        db.prepare("DELETE FROM telemetry_minute WHERE bucket < ?").bind(now - days * DAY_MS),
        db.prepare("DELETE FROM telemetry_batches WHERE processed_at < ?").bind(now - KEY_RETENTION_MS),
      ]);
    } catch (error) {
      failed += 1;
      console.error(
        JSON.stringify({ level: "error", event: "telemetry_purge_failed", companyId, error: String(error) }),
      );
    }
  }
  return { companies: results.length, failed };
}
