import { evaluateFlags, type FeatureFlag } from "@nexus/contracts";
import { openTenantDatabase, TenantDatabaseError } from "@nexus/db";
import { featureFlags, showroomMembers, showrooms } from "@nexus/db/tenant";
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

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
