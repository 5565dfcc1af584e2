// `nexus tenants pool add <N>`: grows the warm pool of tenant databases (ARCHITECTURE.md, "One D1
// database per tenant"). A Worker cannot bind a database created at runtime, so an operator creates
// the databases, attaches them to the deployed API worker, and records them in the wrangler config:
// `wrangler deploy` replaces the worker's bindings with the config's, so a binding missing from the
// config would silently disappear with the next deploy.
import { randomUUID as cryptoRandomUUID } from "node:crypto";
import type { CloudflareApi, WorkerBinding } from "../cloudflare/api.ts";
import { CliError, UsageError } from "../errors.ts";
import { plural, type TextSink } from "../io.ts";
import { describeError } from "../util.ts";
import {
  appendD1Blocks,
  assertAppendable,
  nextTenantIndex,
  readWranglerConfig,
  renderD1Blocks,
  type TenantDatabaseEntry,
  tenantBindingName,
  tenantBindingsInConfig,
  tenantDatabaseName,
  tenantIndex,
  workerName,
} from "../wrangler-config.ts";

export const MAX_ADD = 500;
// Cloudflare's ceiling is about 5,000 bindings per Worker; past it tenants get sharded across API
// deployments (ARCHITECTURE.md). Refusing up front beats creating databases that cannot be attached.
export const MAX_BINDINGS_PER_WORKER = 5000;
// Binding types whose values the settings API does not return; `inherit` keeps them as they are.
const UNREADABLE_BINDING_TYPES = new Set(["secret_text", "secret_key"]);

export interface PoolAddOptions {
  count: number;
  configPath: string;
  /** Only append bindings to the config; no Cloudflare calls (local D1s are created on first use). */
  local: boolean;
  /** Print the plan and change nothing (remote mode still reads the deployed bindings). */
  dryRun: boolean;
}

export interface PoolAddDeps {
  stdout: TextSink;
  stderr: TextSink;
  /** Required unless `local`. */
  cloudflare?: CloudflareApi;
  randomUUID?: () => string;
}

/** Parses the N of `pool add <N>`: a whole number from 1 to MAX_ADD. */
export function parseCount(raw: string | undefined): number {
  if (raw === undefined)
    throw new UsageError("pool add needs the number of databases to add, e.g. `pool add 10`");
  const count = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_ADD) {
    throw new UsageError(`N must be a whole number from 1 to ${MAX_ADD} (got "${raw}")`);
  }
  return count;
}

/** Returns the exit code: 0 when every database was created, attached and recorded. */
export async function poolAdd(options: PoolAddOptions, deps: PoolAddDeps): Promise<number> {
  const toml = await readWranglerConfig(options.configPath);
  assertAppendable(options.configPath, toml);
  return options.local ? addLocal(options, deps, toml) : addRemote(options, deps, toml);
}

function plannedEntries(first: number, count: number, databaseId: (index: number) => string) {
  return Array.from({ length: count }, (_, offset): TenantDatabaseEntry => {
    const index = first + offset;
    return {
      binding: tenantBindingName(index),
      databaseName: tenantDatabaseName(index),
      databaseId: databaseId(index),
    };
  });
}

function assertCeiling(existing: number, count: number): void {
  if (existing + count > MAX_BINDINGS_PER_WORKER) {
    throw new CliError(
      `adding ${count} would give the worker ${existing + count} bindings, over the ~${MAX_BINDINGS_PER_WORKER} ` +
        "a Worker can have; shard tenants across API deployments instead (ARCHITECTURE.md)",
    );
  }
}

async function addLocal(options: PoolAddOptions, deps: PoolAddDeps, toml: string): Promise<number> {
  const { stdout } = deps;
  const existing = tenantBindingsInConfig(toml);
  assertCeiling(existing.length, options.count);
  const randomUUID = deps.randomUUID ?? cryptoRandomUUID;
  const entries = plannedEntries(nextTenantIndex(existing), options.count, () => randomUUID());

  if (options.dryRun) {
    stdout.write(
      `Dry run (--local): would append ${plural(entries.length, "[[d1_databases]] entry", "[[d1_databases]] entries")} to ${options.configPath}:\n\n` +
        `${renderD1Blocks(entries)}\n\nNothing was changed.\n`,
    );
    return 0;
  }
  await appendD1Blocks(options.configPath, entries);
  stdout.write(
    `Added ${describeRange(entries)} to ${options.configPath} (local only, no Cloudflare calls).\n\n` +
      "Next steps:\n" +
      "  1. pnpm types    refresh workers/api/worker-configuration.d.ts\n" +
      "  2. Restart `pnpm dev`: wrangler creates the local D1 databases on first use, and the API\n" +
      "     records the new bindings as free the next time the pool is read or runs dry.\n",
  );
  return 0;
}

async function addRemote(options: PoolAddOptions, deps: PoolAddDeps, toml: string): Promise<number> {
  const { stdout, stderr, cloudflare } = deps;
  const script = workerName(toml);
  if (!script)
    throw new CliError(`${options.configPath} has no top-level \`name\` (the worker's script name)`);
  if (!cloudflare) throw new CliError("no Cloudflare API client configured");

  const settings = await cloudflare.getScriptSettings(script);
  const deployedTenants = settings.bindings.map((b) => b.name).filter((n) => tenantIndex(n) !== undefined);
  const inConfig = tenantBindingsInConfig(toml);
  warnAboutDrift(deployedTenants, inConfig, options.configPath, stderr);
  assertCeiling(settings.bindings.length, options.count);
  // Continue after the highest index anywhere, so a name is never reused even if config and
  // deployment disagree.
  const first = nextTenantIndex([...deployedTenants, ...inConfig]);
  const planned = plannedEntries(first, options.count, () => "<uuid from Cloudflare>");
  const kept = settings.bindings.map(keepBinding);
  const inherited = kept.filter((b) => b.type === "inherit").length;

  stdout.write(
    `Worker ${script} has ${plural(settings.bindings.length, "binding")}, ${deployedTenants.length} of them tenant databases` +
      (deployedTenants.length > 0
        ? ` (highest ${tenantBindingName(nextTenantIndex(deployedTenants) - 1)}).\n`
        : ".\n"),
  );
  if (options.dryRun) {
    stdout.write(
      `Dry run: would create ${plural(planned.length, "D1 database")} and bind them:\n` +
        planned.map((e) => `  ${e.binding} -> ${e.databaseName}\n`).join("") +
        `Would attach them with one settings update keeping the ${plural(kept.length, "existing binding")} ` +
        `(${plural(inherited, "secret")} as inherit), and append ${plural(planned.length, "[[d1_databases]] entry", "[[d1_databases]] entries")} to ` +
        `${options.configPath}.\nNothing was changed.\n`,
    );
    return 0;
  }

  stdout.write(`Creating ${plural(planned.length, "D1 database")}:\n`);
  const { created, failure, notAttempted } = await createAndRecord(
    planned,
    options.configPath,
    cloudflare,
    stdout,
  );
  if (created.length === 0) {
    throw new CliError(`no database was created, nothing changed.\n${failure?.message ?? ""}`);
  }

  stdout.write(
    `Attaching ${plural(created.length, "binding")} to ${script} (one settings update keeping ` +
      `${plural(kept.length, "existing binding")}, ${plural(inherited, "secret")} as inherit)... `,
  );
  const attachError = await attach(cloudflare, script, kept, created);
  stdout.write(attachError ? "FAILED\n" : "done\n");
  stdout.write(
    `\nCreated and recorded ${describeRange(created)} (${created.length} of ${planned.length}).\n`,
  );

  if (failure?.stage === "create") {
    stderr.write(`error: creating ${failure.entry.databaseName} failed: ${failure.message}\n`);
  } else if (failure?.stage === "record") {
    stderr.write(
      `error: ${failure.entry.databaseName} was created but recording it failed: ${failure.message}\n` +
        `Add this to ${options.configPath} before the next deploy:\n\n${renderD1Blocks([failure.entry])}\n\n`,
    );
  }
  if (notAttempted.length > 0) {
    stderr.write(`not attempted: ${notAttempted.map((e) => e.databaseName).join(", ")}\n`);
  }
  if (attachError) {
    stderr.write(
      `error: attaching the bindings failed: ${attachError}\n` +
        `The databases are recorded in ${options.configPath}; \`wrangler deploy\` attaches them.\n`,
    );
  }
  stdout.write(
    "\nNext steps:\n" +
      `  1. Commit ${options.configPath}: deploys replace the worker's bindings with the config's.\n` +
      "  2. pnpm types    refresh workers/api/worker-configuration.d.ts\n" +
      "  3. Nothing to restart: the API records new TENANT_DB_* bindings as free the next time the pool\n" +
      "     is read (`nexus tenants pool status`) or a registration finds none free.\n",
  );
  return failure || attachError ? 1 : 0;
}

interface CreationResult {
  /** Created databases (also those whose recording failed: they exist and get attached). */
  created: TenantDatabaseEntry[];
  failure?: { stage: "create" | "record"; entry: TenantDatabaseEntry; message: string };
  notAttempted: TenantDatabaseEntry[];
}

/**
 * Creates the databases one by one and records each in the config as soon as it exists: the config
 * is the only record of their ids, and it makes the next deploy bind them even if this run dies
 * before attaching them. Stops at the first failure, which is usually not transient (quota, auth).
 */
async function createAndRecord(
  planned: TenantDatabaseEntry[],
  configPath: string,
  cloudflare: CloudflareApi,
  stdout: TextSink,
): Promise<CreationResult> {
  const created: TenantDatabaseEntry[] = [];
  for (const [offset, plan] of planned.entries()) {
    stdout.write(`  [${offset + 1}/${planned.length}] ${plan.databaseName}  `);
    let entry: TenantDatabaseEntry;
    try {
      const database = await cloudflare.createD1Database(plan.databaseName);
      entry = { ...plan, databaseName: database.name, databaseId: database.uuid };
    } catch (error) {
      stdout.write("FAILED\n");
      const failure = { stage: "create" as const, entry: plan, message: describeError(error) };
      return { created, failure, notAttempted: planned.slice(offset + 1) };
    }
    created.push(entry);
    try {
      await appendD1Blocks(configPath, [entry]);
    } catch (error) {
      stdout.write(`created ${entry.databaseId}, NOT recorded\n`);
      const failure = { stage: "record" as const, entry, message: describeError(error) };
      return { created, failure, notAttempted: planned.slice(offset + 1) };
    }
    stdout.write(`created ${entry.databaseId}\n`);
  }
  return { created, notAttempted: [] };
}

/** One settings PATCH with the kept bindings plus the new ones; returns what went wrong, if anything. */
async function attach(
  cloudflare: CloudflareApi,
  script: string,
  kept: WorkerBinding[],
  created: TenantDatabaseEntry[],
): Promise<string | undefined> {
  const added = created.map((e): WorkerBinding => ({ type: "d1", name: e.binding, id: e.databaseId }));
  try {
    const result = await cloudflare.patchScriptSettings(script, { bindings: [...kept, ...added] });
    const attached = new Set(result.bindings.map((b) => b.name));
    const missing = added.filter((b) => !attached.has(b.name)).map((b) => b.name);
    return missing.length > 0 ? `the updated settings lack ${missing.join(", ")}` : undefined;
  } catch (error) {
    return describeError(error);
  }
}

/** The PATCH replaces the binding list: secrets cannot be read back, so they are kept by name. */
function keepBinding(binding: WorkerBinding): WorkerBinding {
  return UNREADABLE_BINDING_TYPES.has(binding.type) ? { type: "inherit", name: binding.name } : binding;
}

function warnAboutDrift(deployed: string[], inConfig: string[], configPath: string, stderr: TextSink): void {
  const configured = new Set(inConfig);
  const unrecorded = deployed.filter((name) => !configured.has(name));
  if (unrecorded.length > 0) {
    stderr.write(
      `warning: ${unrecorded.join(", ")} ${unrecorded.length === 1 ? "is" : "are"} bound to the worker but not ` +
        `in ${configPath}; the next \`wrangler deploy\` would remove ${unrecorded.length === 1 ? "it" : "them"}\n`,
    );
  }
}

function describeRange(entries: TenantDatabaseEntry[]): string {
  const first = entries[0]?.binding;
  const last = entries.at(-1)?.binding;
  return first === last ? `${first}` : `${first} .. ${last}`;
}
