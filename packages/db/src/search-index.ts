// The search index's FTS5 part, taken from the tenant migration that creates it
// (migrations/tenant/0009_search_index.sql), so the operators' rebuild and the migration can never
// create two different indexes: the migration file is the one source, this module only finds its
// statements. docs/search.md describes the index.

import { tenantMigrations } from "./tenant-migrations.generated.ts";
import { migrationStatements } from "./tenant-migrations.ts";

export const SEARCH_INDEX_MIGRATION = "0009_search_index.sql";

/** The three virtual tables, in the order they must be created (the vocabulary reads search_fts). */
export const SEARCH_FTS_TABLES = ["search_fts", "search_trigram", "search_vocab"] as const;
/** The triggers that copy each search_entities change into both FTS tables. */
export const SEARCH_FTS_TRIGGERS = [
  "search_entities_ai",
  "search_entities_ad",
  "search_entities_au",
] as const;

/** The entity types whose entries come from a `search_source_<type>` view (members are written by code). */
export const SEARCH_SOURCE_TYPES = ["project", "activity", "document", "machine", "showroom"] as const;
export type SearchSourceType = (typeof SEARCH_SOURCE_TYPES)[number];

/** The view each source type reads; a project's view also gives its client entry. */
export const searchSourceView = (type: SearchSourceType) => `search_source_${type}`;

/** The entity types each source view writes (a rebuild deletes exactly these before refilling). */
export const SEARCH_SOURCE_ENTITY_TYPES = [
  "project",
  "client",
  "activity",
  "document",
  "machine",
  "showroom",
] as const;

/** The search migration's statements, each without the comment lines that introduce it in the file. */
function searchMigrationStatements(): string[] {
  const migration = tenantMigrations.find((entry) => entry.name === SEARCH_INDEX_MIGRATION);
  if (!migration) throw new Error(`tenant migration ${SEARCH_INDEX_MIGRATION} is missing`);
  return migrationStatements(migration.sql)
    .map((chunk) => {
      const lines = chunk.split("\n");
      const start = lines.findIndex((line) => !line.trim().startsWith("--"));
      return start === -1 ? "" : lines.slice(start).join("\n").trim();
    })
    .filter((statement) => statement.length > 0);
}

function statementCreating(statements: string[], kind: "VIRTUAL TABLE" | "TRIGGER" | "VIEW", name: string) {
  const statement = statements.find((s) => s.startsWith(`CREATE ${kind} \`${name}\``));
  if (!statement) throw new Error(`${SEARCH_INDEX_MIGRATION} has no CREATE ${kind} \`${name}\``);
  return statement;
}

const statements = searchMigrationStatements();

/** The migration's CREATE VIRTUAL TABLE statements, in creation order. */
export const searchFtsTableStatements: readonly string[] = SEARCH_FTS_TABLES.map((name) =>
  statementCreating(statements, "VIRTUAL TABLE", name),
);
/** The migration's CREATE TRIGGER statements of the sync triggers. */
export const searchFtsTriggerStatements: readonly string[] = SEARCH_FTS_TRIGGERS.map((name) =>
  statementCreating(statements, "TRIGGER", name),
);

export const searchFtsTriggerDrops: readonly string[] = SEARCH_FTS_TRIGGERS.map(
  (name) => `DROP TRIGGER IF EXISTS \`${name}\``,
);
/** The vocabulary goes before the table it reads. */
export const searchFtsTableDrops: readonly string[] = [...SEARCH_FTS_TABLES]
  .reverse()
  .map((name) => `DROP TABLE IF EXISTS \`${name}\``);
/** DROPs for the FTS part: the triggers first (they write into the tables). */
export const searchFtsDropStatements: readonly string[] = [...searchFtsTriggerDrops, ...searchFtsTableDrops];

// Each source type must have its view in the migration: a rebuild reads them.
for (const type of SEARCH_SOURCE_TYPES) statementCreating(statements, "VIEW", searchSourceView(type));
