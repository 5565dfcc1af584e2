// Reading and extending the wrangler config (TOML) without a TOML library: the CLI only needs the
// worker's name and the TENANT_DB_* bindings, and only ever appends `[[d1_databases]]` blocks. Array
// of tables headers are absolute in TOML, so a block appended at the end of the file is a top-level
// entry whatever table precedes it.
import { readFile, writeFile } from "node:fs/promises";
import { CliError } from "./errors.ts";

/** Same shape the API recognises (workers/api/src/services/tenant-pool.ts). */
const TENANT_BINDING = /^TENANT_DB_(\d+)$/;
// `binding = "TENANT_DB_0001"` lines; commented-out lines do not match because of the leading `^\s*`.
const TENANT_BINDING_LINE = /^[ \t]*binding[ \t]*=[ \t]*["'](TENANT_DB_\d+)["']/gm;
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

export function tenantBindingsInConfig(toml: string): string[] {
  return [...toml.matchAll(TENANT_BINDING_LINE)].map((match) => match[1] ?? "");
}

export function renderD1Blocks(entries: TenantDatabaseEntry[]): string {
  return entries
    .map((entry) =>
      [
        "[[d1_databases]]",
        `binding = "${entry.binding}"`,
        `database_name = "${entry.databaseName}"`,
        `database_id = "${entry.databaseId}"`,
        `migrations_dir = "${TENANT_MIGRATIONS_DIR}"`,
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
export async function appendD1Blocks(path: string, entries: TenantDatabaseEntry[]): Promise<void> {
  if (entries.length === 0) return;
  // Re-read every time: the file is the record of created databases and must not be clobbered.
  const toml = await readWranglerConfig(path);
  assertAppendable(path, toml);
  const separator = toml === "" ? "" : toml.endsWith("\n\n") ? "" : toml.endsWith("\n") ? "\n" : "\n\n";
  await writeFile(path, `${toml}${separator}${renderD1Blocks(entries)}\n`);
}
