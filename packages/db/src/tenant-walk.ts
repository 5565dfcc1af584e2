// The daily jobs that visit every company's own D1 database (the API's and the consumers'): each
// company on its own, so one unreachable database is logged and counted, and the others are still done.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { companyDatabases } from "./central.ts";
import { errorText } from "./error-text.ts";

/**
 * Runs `work` for every company whose data lives in a D1 database of ours; answers how many there
 * were and how many failed (each failure logged as `<job>_failed`).
 */
export async function forEachTenantCompany(
  central: D1Database,
  job: string,
  work: (companyId: string) => Promise<void>,
): Promise<{ companies: number; failed: number }> {
  const companies = await drizzle(central)
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
        JSON.stringify({ level: "error", event: `${job}_failed`, companyId, error: errorText(error) }),
      );
    }
  }
  return { companies: companies.length, failed };
}
