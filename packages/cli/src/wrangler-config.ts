// Reading and extending the wrangler config (TOML) without a TOML library: the CLI only needs the
// worker's name and the TENANT_DB_* `[[d1_databases]]` entries, and only ever appends such blocks.
// Array of tables headers are absolute in TOML, so a block appended at the end of the file is a
// top-level entry whatever table precedes it.
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { CliError } from "./errors.ts";

/** Same shape the API recognises (workers/api/src/services/tenant-pool.ts). */
const TENANT_BINDING = /^TENANT_DB_(\d+)$/;
const TABLE_HEADER = /^[ \t]*\[/;
const D1_HEADER = /^[ \t]*\[\[[ \t]*d1_databases[ \t]*\]\][ \t]*(?:#.*)?$/;
// `key = "value"` or `key = 'value'`; commented-out lines do not match because of the leading `^\s*`.
const STRING_KEY = /^[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*(?:"([^"\n]*)"|'([^'\n]*)')/;
/** The tenant migrations, relative to the project root (the API worker's config folder). */
export const TENANT_MIGRATIONS_DIR = "migrations/tenant";

export interface TenantDatabaseEntry {
  binding: string;
  databaseName: string;
  databaseId: string;
}

/** The index in a TENANT_DB_NNNN binding name, or undefined for any other name. */
export function tenantIndex(bindingName: string): number | undefined {
  const match = TENANT_BINDING.exec(bindingName);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

export function tenantBindingName(index: number): string {
  return `TENANT_DB_${String(index).padStart(4, "0")}`;
}

export function tenantDatabaseName(index: number): string {
  return `nexus-tenant-${String(index).padStart(4, "0")}`;
}

/** 1 + the highest TENANT_DB_NNNN index among the names (1 when there is none). */
export function nextTenantIndex(bindingNames: Iterable<string>): number {
  let highest = 0;
  for (const name of bindingNames) highest = Math.max(highest, tenantIndex(name) ?? 0);
  return highest + 1;
}

export async function readWranglerConfig(path: string): Promise<string> {
  if (!/\.toml$/i.test(path)) {
    throw new CliError(`${path}: only a wrangler.toml config is supported`);
  }
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read wrangler config ${path}${code ? ` (${code})` : ""}`);
  }
}

/** The top-level `name` (the Worker's script name): the key before the first table header. */
export function workerName(toml: string): string | undefined {
  const beforeTables = toml.split(/^[ \t]*\[/m)[0] ?? "";
  return /^[ \t]*name[ \t]*=[ \t]*["']([^"'\n]+)["']/m.exec(beforeTables)?.[1];
}

/**
 * The top-level `[[d1_databases]]` entries with a TENANT_DB_NNNN binding, in file order. A missing
 * `database_name` or `database_id` reads as "" (so it shows up as a difference, never matches).
 */
export function tenantDatabasesInConfig(toml: string): TenantDatabaseEntry[] {
  const blocks: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  for (const line of toml.split(/\r?\n/)) {
    if (TABLE_HEADER.test(line)) {
      current = D1_HEADER.test(line) ? new Map() : undefined;
      if (current) blocks.push(current);
      continue;
    }
    const pair = current && STRING_KEY.exec(line);
    if (current && pair?.[1] !== undefined) current.set(pair[1], pair[2] ?? pair[3] ?? "");
  }
  return blocks.flatMap((block) => {
    const binding = block.get("binding");
    if (binding === undefined || tenantIndex(binding) === undefined) return [];
    return [
      { binding, databaseName: block.get("database_name") ?? "", databaseId: block.get("database_id") ?? "" },
    ];
  });
}

export function tenantBindingsInConfig(toml: string): string[] {
  return tenantDatabasesInConfig(toml).map((entry) => entry.binding);
}

/** A TENANT_DB binding that two pools do not declare alike (`undefined`: absent from that pool). */
export interface TenantPoolDifference {
  binding: string;
  left?: TenantDatabaseEntry;
  right?: TenantDatabaseEntry;
}

/** Bindings whose database (name or id) differs between the pools, or that only one declares. */
export function tenantPoolDifferences(
  left: TenantDatabaseEntry[],
  right: TenantDatabaseEntry[],
): TenantPoolDifference[] {
  const byBinding = (pool: TenantDatabaseEntry[]) => new Map(pool.map((entry) => [entry.binding, entry]));
  const leftByBinding = byBinding(left);
  const rightByBinding = byBinding(right);
  const bindings = [...new Set([...leftByBinding.keys(), ...rightByBinding.keys()])];
  return bindings
    .sort((a, b) => (tenantIndex(a) ?? 0) - (tenantIndex(b) ?? 0))
    .map((binding) => ({ binding, left: leftByBinding.get(binding), right: rightByBinding.get(binding) }))
    .filter(
      ({ left: l, right: r }) =>
        l === undefined ||
        r === undefined ||
        l.databaseName !== r.databaseName ||
        l.databaseId !== r.databaseId,
    );
}

/**
 * `migrations_dir` for a tenant entry in the config at `configPath`: wrangler resolves it relative to
 * the config's folder, so a worker under workers/<name>/ gets `../../migrations/tenant`.
 */
export function tenantMigrationsDir(configPath: string, projectRoot: string): string {
  return relative(dirname(configPath), join(projectRoot, TENANT_MIGRATIONS_DIR)).split(sep).join("/");
}

export function renderD1Blocks(
  entries: TenantDatabaseEntry[],
  migrationsDir = TENANT_MIGRATIONS_DIR,
): string {
  return entries
    .map((entry) =>
      [
        "[[d1_databases]]",
        `binding = "${entry.binding}"`,
        `database_name = "${entry.databaseName}"`,
        `database_id = "${entry.databaseId}"`,
        `migrations_dir = "${migrationsDir}"`,
      ].join("\n"),
    )
    .join("\n\n");
}

/** Throws if `[[d1_databases]]` blocks cannot simply be appended to this config. */
export function assertAppendable(path: string, toml: string): void {
  // An inline `d1_databases = [...]` cannot be combined with `[[d1_databases]]` tables.
  if (/^[ \t]*d1_databases[ \t]*=/m.test(toml)) {
    throw new CliError(`${path} declares d1_databases inline; convert it to [[d1_databases]] tables first`);
  }
}

/** Appends one `[[d1_databases]]` block per entry, separated from what precedes by a blank line. */
export async function appendD1Blocks(
  path: string,
  entries: TenantDatabaseEntry[],
  migrationsDir = TENANT_MIGRATIONS_DIR,
): Promise<void> {
  if (entries.length === 0) return;
  // Re-read every time: the file is the record of created databases and must not be clobbered.
  const toml = await readWranglerConfig(path);
  assertAppendable(path, toml);
  const separator = toml === "" ? "" : toml.endsWith("\n\n") ? "" : toml.endsWith("\n") ? "\n" : "\n\n";
  await writeFile(path, `${toml}${separator}${renderD1Blocks(entries, migrationsDir)}\n`);
}
