// The daily jobs that visit every company's own D1 database: each company on its own, so one
// unreachable database is logged and counted, and the others are still done.
import { companyDatabases } from "@nexus/db/central";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

/** Runs `work` for every company whose data lives in a D1 database of ours; answers how many failed. */
export async function forEachTenant(
  env: Env,
  job: string,
  work: (companyId: string) => Promise<void>,
): Promise<{ failed: number }> {
  const companies = await drizzle(env.CENTRAL_DB)
    .select({ companyId: companyDatabases.companyId })
    .from(companyDatabases)
    .where(eq(companyDatabases.provider, "d1"));
  let failed = 0;
  for (const { companyId } of companies) {
    try {
      await work(companyId);
    } catch (error) {
      failed += 1;
      console.error(
        JSON.stringify({ level: "error", event: `${job}_failed`, companyId, error: String(error) }),
      );
    }
  }
  return { failed };
}
