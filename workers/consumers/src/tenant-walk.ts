// The consumers' daily jobs over every company's own database, opened for them (see @nexus/db's walk).
import { forEachTenantCompany, openTenantDatabase } from "@nexus/db";
import { type Orm, orm } from "./db.ts";

/** Runs `work` on every company's tenant database of ours; answers how many there were and failed. */
export function forEachTenant(
  env: { CENTRAL_DB: D1Database },
  job: string,
  work: (db: Orm, companyId: string) => Promise<void>,
): Promise<{ companies: number; failed: number }> {
  return forEachTenantCompany(env.CENTRAL_DB, job, async (companyId) =>
    work(orm(await openTenantDatabase(env, env.CENTRAL_DB, companyId)), companyId),
  );
}
