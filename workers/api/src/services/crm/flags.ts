import { evaluateFlags, type FeatureFlag } from "@nexus/contracts";
import { openTenantDatabase, TenantDatabaseError } from "@nexus/db";
import { featureFlags } from "@nexus/db/tenant";
import { asc } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

export async function loadFlags(db: D1Database): Promise<FeatureFlag[]> {
  const rows = await drizzle(db).select().from(featureFlags).orderBy(asc(featureFlags.key));
  return rows.map((row) => ({
    key: row.key,
    description: row.description,
    enabled: row.enabled,
    rules: row.rules as FeatureFlag["rules"],
  }));
}

/**
 * Flags as they apply to an installation (no role, no showroom), for validate. A company whose
 * tenant database cannot be read gets no flags rather than a failed validate.
 */
export async function installationFlags(env: Env, companyId: string): Promise<Record<string, boolean>> {
  try {
    const db = await openTenantDatabase(env, env.CENTRAL_DB, companyId);
    return evaluateFlags(await loadFlags(db), { roles: [], showroomTypes: [] });
  } catch (error) {
    // A company keeping its data in its own database has no flags here; that is not a fault.
    if (error instanceof TenantDatabaseError && error.problem === "external") return {};
    console.warn(
      JSON.stringify({ level: "warn", event: "feature_flags_unavailable", companyId, error: String(error) }),
    );
    return {};
  }
}
