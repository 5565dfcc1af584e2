// The query log: one search_queries row per search request (the report and the click reports read
// it) and one `search.performed` webhook event. Written after the answer (waitUntil): a search must
// not wait on, nor fail by, its own bookkeeping.
import type { SearchEntityType } from "@nexus/contracts";
import { searchQueries } from "@nexus/db/tenant";
import { drizzle } from "drizzle-orm/d1";
import type { Actor, CentralDb } from "../../env.ts";
import { dispatchEvents, eventStatement } from "../webhook-events.ts";

export interface SearchLogEntry {
  id: string;
  companyId: string;
  /** normalizeQuery() of what was typed. */
  query: string;
  types: SearchEntityType[] | null;
  filters: Record<string, unknown> | null;
  resultCount: number;
  latencyMs: number;
  actor: Actor;
}

export async function logSearch(
  env: Env,
  central: CentralDb,
  tenant: D1Database,
  entry: SearchLogEntry,
): Promise<void> {
  try {
    await drizzle(tenant).insert(searchQueries).values({
      id: entry.id,
      query: entry.query,
      types: entry.types,
      filters: entry.filters,
      resultCount: entry.resultCount,
      latencyMs: entry.latencyMs,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
    });
    const event = eventStatement(central, {
      companyId: entry.companyId,
      type: "search.performed",
      data: { query_id: entry.id, query: entry.query, result_count: entry.resultCount, types: entry.types },
    });
    await event.statement;
    await dispatchEvents(env, [event.id]);
  } catch (error) {
    console.error(
      JSON.stringify({ level: "warn", event: "search_log_failed", queryId: entry.id, error: String(error) }),
    );
  }
}
