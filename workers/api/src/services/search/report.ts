// What the query log says about a company's search (GET …/search/report) and the clicks the
// dashboard reports on it (POST …/search/queries/{id}/click), in the company's tenant database.
import type { SearchEntityType, SearchReport } from "@nexus/contracts";
import { searchQueries } from "@nexus/db/tenant";
import { and, asc, count, desc, eq, gte, max, ne, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SearchClick {
  type: SearchEntityType;
  id: string;
  position: number;
}

/**
 * Records the result the user opened. The last click wins, as the report counts queries that led
 * somewhere rather than every click. False when the company logged no such query.
 */
export async function recordSearchClick(
  db: D1Database,
  queryId: string,
  click: SearchClick,
): Promise<boolean> {
  const updated = await drizzle(db)
    .update(searchQueries)
    .set({ clickedType: click.type, clickedId: click.id, clickedPosition: click.position })
    .where(eq(searchQueries.id, queryId))
    .returning({ id: searchQueries.id });
  return updated.length > 0;
}

/**
 * The latency at `fraction` by nearest rank over `total` ordered rows: one row read at an offset,
 * so the period's rows never leave the database.
 */
function latencyAt(db: D1Database, where: SQL | undefined, total: number, fraction: number) {
  const rank = Math.max(1, Math.ceil(fraction * total));
  return drizzle(db)
    .select({ latency: searchQueries.latencyMs })
    .from(searchQueries)
    .where(where)
    .orderBy(asc(searchQueries.latencyMs))
    .limit(1)
    .offset(rank - 1);
}

const iso = (ms: number | null) => new Date(ms ?? 0).toISOString();
const round = (ms: number | undefined) => (ms === undefined ? null : Math.round(ms * 100) / 100);

/**
 * The period's totals, latency percentiles, most frequent queries (with how many of them led to a
 * click) and most frequent zero-result queries. The empty query (a search box opened, or input
 * without letters or digits) is left out of every figure: it says nothing about what people look for.
 */
export async function searchReport(
  db: D1Database,
  options: { days: number; limit: number; now?: number },
): Promise<Omit<SearchReport, "success">> {
  const orm = drizzle(db);
  const since = (options.now ?? Date.now()) - options.days * DAY_MS;
  const inPeriod = and(gte(searchQueries.createdAt, since), ne(searchQueries.query, ""));
  const grouped = {
    query: searchQueries.query,
    count: count(),
    lastAt: max(searchQueries.createdAt),
  };
  const [[totals], top, zero] = await orm.batch([
    orm
      .select({
        queries: count(),
        // SQLite's sum() of a comparison counts the rows where it holds (null over no rows).
        zeroResult: sql<number>`coalesce(sum(${searchQueries.resultCount} = 0), 0)`.mapWith(Number),
        clicked: count(searchQueries.clickedId),
      })
      .from(searchQueries)
      .where(inPeriod),
    orm
      .select({ ...grouped, clicks: count(searchQueries.clickedId) })
      .from(searchQueries)
      .where(inPeriod)
      .groupBy(searchQueries.query)
      .orderBy(desc(count()), desc(max(searchQueries.createdAt)), asc(searchQueries.query))
      .limit(options.limit),
    orm
      .select(grouped)
      .from(searchQueries)
      .where(and(inPeriod, eq(searchQueries.resultCount, 0)))
      .groupBy(searchQueries.query)
      .orderBy(desc(count()), desc(max(searchQueries.createdAt)), asc(searchQueries.query))
      .limit(options.limit),
  ]);
  const queries = totals?.queries ?? 0;
  let p50: number | null = null;
  let p99: number | null = null;
  if (queries > 0) {
    const [[median], [tail]] = await orm.batch([
      latencyAt(db, inPeriod, queries, 0.5),
      latencyAt(db, inPeriod, queries, 0.99),
    ]);
    p50 = round(median?.latency);
    p99 = round(tail?.latency);
  }
  return {
    since: iso(since),
    totals: {
      queries,
      zero_result: totals?.zeroResult ?? 0,
      clicked: totals?.clicked ?? 0,
      latency_p50_ms: p50,
      latency_p99_ms: p99,
    },
    top_queries: top.map((row) => ({
      query: row.query,
      count: row.count,
      last_at: iso(row.lastAt),
      clicks: row.clicks,
    })),
    zero_result_queries: zero.map((row) => ({
      query: row.query,
      count: row.count,
      last_at: iso(row.lastAt),
    })),
  };
}
