// Query-log rows written straight into a company's tenant database, as the search route logs them,
// so the click and report tests choose their queries, counts, latencies and ages.
import { env } from "cloudflare:workers";
import { searchQueries } from "@nexus/db/tenant";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { newId } from "../src/lib/ids.ts";
import { tenantDatabase } from "../src/services/tenant-db.ts";

export type LoggedQuery = typeof searchQueries.$inferSelect;

/** Logs the rows (defaults: 3 results in 5 ms by the operator, now) and returns them as stored. */
export async function logSearchQueries(
  companyId: string,
  rows: Partial<typeof searchQueries.$inferInsert>[],
): Promise<LoggedQuery[]> {
  const orm = drizzle(await tenantDatabase(env, companyId));
  const logged: LoggedQuery[] = [];
  // D1 caps a statement at 100 bound parameters: one row per insert keeps any batch size legal.
  for (const row of rows) {
    const createdAt = row.createdAt ?? Date.now();
    const [stored] = await orm
      .insert(searchQueries)
      .values({
        id: newId(createdAt),
        query: "",
        resultCount: 3,
        latencyMs: 5,
        actorType: "operator",
        ...row,
        createdAt,
      })
      .returning();
    if (stored) logged.push(stored);
  }
  return logged;
}

/** The company's logged query with this id, as stored (undefined when there is none). */
export async function loggedQuery(companyId: string, id: string): Promise<LoggedQuery | undefined> {
  const orm = drizzle(await tenantDatabase(env, companyId));
  const [row] = await orm.select().from(searchQueries).where(eq(searchQueries.id, id));
  return row;
}
