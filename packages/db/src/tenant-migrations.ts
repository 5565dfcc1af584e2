import { tenantMigrations } from "./tenant-migrations.generated.ts";

// The same bookkeeping table wrangler uses, so `wrangler d1 migrations list` tells the truth about a
// tenant database too.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS d1_migrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** A migration file's statements, split where drizzle-kit marks a breakpoint. */
export function migrationStatements(sql: string): string[] {
  return sql
    .split("--> statement-breakpoint")
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

/** Name of the newest tenant migration, recorded as a tenant database's schema version. */
export const latestTenantSchemaVersion = (tenantMigrations.at(-1)?.name ?? "none").replace(/\.sql$/, "");

/**
 * Applies pending tenant migrations. Each migration runs in one `batch` (D1 has no interactive
 * transactions) together with its bookkeeping row, so it applies whole or not at all. Raw SQL by
 * nature: it runs the migration files drizzle-kit generated, and `d1_migrations` is wrangler's
 * bookkeeping table, not part of the drizzle schema.
 */
export async function applyTenantMigrations(db: D1Database): Promise<string> {
  await db.prepare(CREATE_MIGRATIONS_TABLE).run();
  const { results } = await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>();
  const applied = new Set(results.map((row) => row.name));
  for (const migration of tenantMigrations) {
    if (applied.has(migration.name)) continue;
    const statements = migrationStatements(migration.sql);
    // Raw SQL: the statements exactly as drizzle-kit generated them, and wrangler's bookkeeping row.
    await db.batch([
      ...statements.map((statement) => db.prepare(statement)),
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(migration.name),
    ]);
  }
  return latestTenantSchemaVersion;
}
