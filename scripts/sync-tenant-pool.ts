// One tenant pool for both workers: the root wrangler.toml (the API's) declares it, and the consumers
// worker's config carries a generated copy, since wrangler's TOML has no include. Everything after
// POOL_MARKER in workers/consumers/wrangler.toml is rendered from the root's TENANT_DB_* entries;
// `nexus tenants pool add` appends the same blocks to both files, which keeps the copy exactly what
// this script renders, and sync-tenant-pool.test.ts fails on any hand edit to one of them.
// Usage: pnpm pool:sync (rewrite the copy) | pnpm pool:sync --check (exit 1 when it is stale)
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CONSUMERS_CONFIG } from "../packages/cli/src/commands/pool-add.ts";
import {
  renderD1Blocks,
  tenantDatabasesInConfig,
  tenantMigrationsDir,
} from "../packages/cli/src/wrangler-config.ts";

export const POOL_MARKER =
  "# The tenant pool, generated from the root wrangler.toml (pnpm pool:sync); do not edit by hand.";

/** The consumers' config with its tenant pool rendered from the root config's. */
export function withGeneratedPool(consumersToml: string, rootToml: string, migrationsDir: string): string {
  const at = consumersToml.indexOf(POOL_MARKER);
  if (at < 0)
    throw new Error(`the consumers' config has no line "${POOL_MARKER}" to generate the pool after`);
  const pool = tenantDatabasesInConfig(rootToml);
  if (pool.length === 0) throw new Error("the root wrangler.toml declares no TENANT_DB_* databases");
  return `${consumersToml.slice(0, at)}${POOL_MARKER}\n\n${renderD1Blocks(pool, migrationsDir)}\n`;
}

export function syncTenantPool(root: string, check: boolean): { path: string; upToDate: boolean } {
  const path = join(root, CONSUMERS_CONFIG);
  const current = readFileSync(path, "utf8");
  const rootToml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const generated = withGeneratedPool(current, rootToml, tenantMigrationsDir(path, root));
  const upToDate = generated === current;
  if (!upToDate && !check) writeFileSync(path, generated);
  return { path, upToDate };
}

if (import.meta.main) {
  const check = process.argv.includes("--check");
  const { path, upToDate } = syncTenantPool(join(import.meta.dirname, ".."), check);
  if (upToDate) console.log(`${path}: tenant pool up to date`);
  else if (check) {
    console.error(`${path}: tenant pool differs from wrangler.toml's; run pnpm pool:sync`);
    process.exit(1);
  } else console.log(`${path}: tenant pool rewritten from wrangler.toml`);
}
