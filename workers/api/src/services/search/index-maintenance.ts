// The operators' side of the search index (docs/search.md): its status, a rebuild from the
// records, and a drop of the FTS5 tables so `wrangler d1 export` (which refuses virtual tables) can
// run. search_entities itself is an ordinary table: it stays through a drop and is exported.
import { SEARCH_ENTITY_TYPES, type SearchEntityType, type SearchIndexStatus } from "@nexus/contracts";
import {
  SEARCH_FTS_TABLES,
  SEARCH_SOURCE_ENTITY_TYPES,
  SEARCH_SOURCE_TYPES,
  searchFtsDropStatements,
  searchFtsTableDrops,
  searchFtsTableStatements,
  searchFtsTriggerDrops,
  searchFtsTriggerStatements,
  searchSourceView,
} from "@nexus/db";
import { searchEntities } from "@nexus/db/tenant";
import { count } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { indexMembers } from "./member-index.ts";

/**
 * Whether the FTS tables exist (all three). False after a drop until a rebuild: the search route
 * answers SEARCH_INDEX_MISSING then. Raw SQL: sqlite_master is SQLite's catalogue, not a drizzle table.
 */
export async function searchIndexPresent(db: D1Database): Promise<boolean> {
  const placeholders = SEARCH_FTS_TABLES.map(() => "?").join(", ");
  const row = await db
    .prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN (${placeholders})`)
    .bind(...SEARCH_FTS_TABLES)
    .first<{ n: number }>();
  return row?.n === SEARCH_FTS_TABLES.length;
}

/** Entries per entity type (every type present, zero when it has none). */
async function entryCounts(db: D1Database): Promise<Record<SearchEntityType, number>> {
  const rows = await drizzle(db)
    .select({ type: searchEntities.entityType, n: count() })
    .from(searchEntities)
    .groupBy(searchEntities.entityType);
  const entries = Object.fromEntries(SEARCH_ENTITY_TYPES.map((type) => [type, 0])) as Record<
    SearchEntityType,
    number
  >;
  for (const row of rows) {
    if (row.type in entries) entries[row.type] = row.n;
  }
  return entries;
}

// FTS5 special commands are INSERTs into the table's own name column; drizzle has no such table.
// Raw SQL: the 'integrity-check' command with rank 1 also compares the index with search_entities
// (the external content), so an entry changed behind the triggers' back is found.
const ftsCommand = (db: D1Database, table: string, command: "integrity-check" | "rebuild") =>
  command === "integrity-check"
    ? db.prepare(`INSERT INTO ${table}(${table}, rank) VALUES ('integrity-check', 1)`)
    : db.prepare(`INSERT INTO ${table}(${table}) VALUES ('rebuild')`);

/** The two indexed FTS tables (the vocabulary is a view of search_fts and has no index of its own). */
const INDEXED_TABLES = SEARCH_FTS_TABLES.filter((table) => table !== "search_vocab");

async function integrity(db: D1Database, present: boolean): Promise<SearchIndexStatus["integrity"]> {
  if (!present) return "missing";
  for (const table of INDEXED_TABLES) {
    try {
      await ftsCommand(db, table, "integrity-check").run();
    } catch (error) {
      console.error(
        JSON.stringify({ level: "error", event: "search_index_corrupt", table, error: String(error) }),
      );
      return "failed";
    }
  }
  return "ok";
}

/** The index's state: whether its FTS tables exist, entries per type, FTS5's integrity check. */
export async function searchIndexStatus(db: D1Database, started = Date.now()): Promise<SearchIndexStatus> {
  const present = await searchIndexPresent(db);
  const [entries, checked] = await Promise.all([entryCounts(db), integrity(db, present)]);
  return { success: true, present, entries, integrity: checked, took_ms: Date.now() - started };
}

/**
 * Rebuilds the index from the records, in one batch (one transaction: a search never sees it half
 * empty, and no write slips between the steps): the sync triggers go, the FTS tables are created if
 * a drop removed them (existing ones are kept, so searches keep working meanwhile), search_entities
 * is refilled from the source views, the triggers come back and both FTS indexes are rebuilt from
 * search_entities. Without the triggers during the refill, a damaged index is never asked to delete
 * entries it does not hold. Then the member entries are rewritten from the central database.
 */
export async function rebuildSearchIndex(
  env: Env,
  db: D1Database,
  companyId: string,
): Promise<SearchIndexStatus> {
  const started = Date.now();
  const present = await searchIndexPresent(db);
  const types = SEARCH_SOURCE_ENTITY_TYPES.map(() => "?").join(", ");
  // Raw SQL: the migration's own DDL (FTS5 virtual tables and triggers, which drizzle does not
  // model), and INSERT … SELECT from the source views, which drizzle's schema does not describe.
  await db.batch([
    ...searchFtsTriggerDrops.map((ddl) => db.prepare(ddl)),
    // Whatever a partial drop left goes before the tables are created again.
    ...(present ? [] : [...searchFtsTableDrops, ...searchFtsTableStatements].map((ddl) => db.prepare(ddl))),
    db
      .prepare(`DELETE FROM search_entities WHERE entity_type IN (${types})`)
      .bind(...SEARCH_SOURCE_ENTITY_TYPES),
    ...SEARCH_SOURCE_TYPES.map((type) =>
      db.prepare(
        "INSERT INTO search_entities(entity_type, entity_id, project_id, title, body, tags, facets) " +
          `SELECT entity_type, entity_id, project_id, title, body, tags, facets FROM ${searchSourceView(type)}`,
      ),
    ),
    // Raw SQL again: the sync triggers come back before FTS5 re-reads search_entities.
    ...searchFtsTriggerStatements.map((ddl) => db.prepare(ddl)),
    ...INDEXED_TABLES.map((table) => ftsCommand(db, table, "rebuild")),
  ]);
  await indexMembers(env.CENTRAL_DB, db, companyId);
  return searchIndexStatus(db, started);
}

/**
 * Drops the FTS tables and the triggers that write into them; search_entities and the records'
 * triggers stay, so the entries keep following the records until the rebuild recreates the index.
 */
export async function dropSearchIndex(db: D1Database): Promise<SearchIndexStatus> {
  const started = Date.now();
  // Raw SQL: DROP of virtual tables and triggers, which drizzle does not model.
  await db.batch(searchFtsDropStatements.map((ddl) => db.prepare(ddl)));
  return searchIndexStatus(db, started);
}
