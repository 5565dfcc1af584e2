// The query log's daily housekeeping in each company's database: a query is kept 90 days, the
// longest period the report covers (SearchReportQuerySchema's `days`), so the log never grows
// without bound and holds no older record of who searched for what.
import { forEachTenantCompany, openTenantDatabase } from "@nexus/db";
import { searchQueries } from "@nexus/db/tenant";
import { lt } from "drizzle-orm";
import { tenantOrm } from "../machines.ts";

export const SEARCH_QUERY_RETENTION_MS = 90 * 86_400_000;

export async function purgeSearchQueries(
  env: Env,
  now = Date.now(),
): Promise<{ deleted: number; failed: number }> {
  let deleted = 0;
  const { failed } = await forEachTenantCompany(env.CENTRAL_DB, "search_queries_purge", async (companyId) => {
    const orm = tenantOrm(await openTenantDatabase(env, env.CENTRAL_DB, companyId));
    const result = await orm
      .delete(searchQueries)
      .where(lt(searchQueries.createdAt, now - SEARCH_QUERY_RETENTION_MS));
    deleted += result.meta.changes;
  });
  return { deleted, failed };
}
