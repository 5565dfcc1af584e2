import { evaluateFlags, type FeatureFlag } from "@nexus/contracts";
import { openTenantDatabase, TenantDatabaseError } from "@nexus/db";
import { featureFlags, showroomMembers, showrooms } from "@nexus/db/tenant";
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { isolateCache } from "../../lib/isolate-cache.ts";

export async function loadFlags(db: D1Database): Promise<FeatureFlag[]> {
  const rows = await drizzle(db).select().from(featureFlags).orderBy(asc(featureFlags.key));
  return rows.map((row) => ({
    key: row.key,
    description: row.description,
    enabled: row.enabled,
    rules: row.rules,
  }));
}

/** Replaces the company's flags in one batch. */
export async function replaceFlags(db: D1Database, flags: FeatureFlag[]): Promise<void> {
  const orm = drizzle(db);
  // Cleared before and after: a validate running meanwhile may cache what it read before the batch.
  installationFlagCache.clear();
  await orm.batch([
    orm.delete(featureFlags),
    ...flags.map((flag) =>
      orm.insert(featureFlags).values({
        key: flag.key,
        description: flag.description,
        enabled: flag.enabled,
        rules: flag.rules,
      }),
    ),
  ]);
  installationFlagCache.clear();
}

/** The types of the showrooms a user works in, which flag rules match on. */
export async function showroomTypesOf(db: D1Database, userId: string): Promise<string[]> {
  const rows = await drizzle(db)
    .selectDistinct({ type: showrooms.type })
    .from(showroomMembers)
    .innerJoin(showrooms, eq(showrooms.id, showroomMembers.showroomId))
    .where(eq(showroomMembers.userId, userId))
    .orderBy(asc(showrooms.type));
  return rows.map((row) => row.type);
}

// Flags change only through replaceFlags, which clears this at once in its own isolate; other
// isolates answer validates with flags at most a few seconds old (apps re-read them on their next
// validate anyway). A company whose tenant database failed is not kept.
const installationFlagCache = isolateCache<Record<string, boolean>>(5_000);

/**
 * Flags as they apply to an installation (no role, no showroom), for validate. A company whose
 * tenant database cannot be read gets no flags rather than a failed validate.
 */
export async function installationFlags(env: Env, companyId: string): Promise<Record<string, boolean>> {
  try {
    return await installationFlagCache.get(companyId, async () => {
      const db = await openTenantDatabase(env, env.CENTRAL_DB, companyId).catch((error: unknown) => {
        // A company keeping its data in its own database has no flags here; that is not a fault.
        if (error instanceof TenantDatabaseError && error.problem === "external") return null;
        throw error;
      });
      return db ? evaluateFlags(await loadFlags(db), { roles: [], showroomTypes: [] }) : {};
    });
  } catch (error) {
    console.warn(
      JSON.stringify({ level: "warn", event: "feature_flags_unavailable", companyId, error: String(error) }),
    );
    return {};
  }
}
