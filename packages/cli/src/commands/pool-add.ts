// `nexus tenants pool add <N>`: grows the warm pool of tenant databases (ARCHITECTURE.md, "One D1
// database per tenant"). A Worker cannot bind a database created at runtime, so an operator creates
// the databases, attaches them to the deployed API worker, and records them in the wrangler config:
// `wrangler deploy` replaces the worker's bindings with the config's, so a binding missing from the
// config would silently disappear with the next deploy. Other workers that open tenant databases (the
// telemetry queue consumer) bind the identical pool, so every step is done for each of their configs
// and scripts too.
import { randomUUID as cryptoRandomUUID } from "node:crypto";
import { access } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { CloudflareApi, ScriptSettings, WorkerBinding } from "../cloudflare/api.ts";
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
  type TenantPoolDifference,
  tenantBindingName,
  tenantBindingsInConfig,
  tenantDatabaseName,
  tenantDatabasesInConfig,
  tenantIndex,
  tenantMigrationsDir,
  tenantPoolDifferences,
  workerName,
} from "../wrangler-config.ts";

export const MAX_ADD = 500;
// Cloudflare's ceiling is about 5,000 bindings per Worker; past it tenants get sharded across API
// deployments (ARCHITECTURE.md). Refusing up front beats creating databases that cannot be attached.
export const MAX_BINDINGS_PER_WORKER = 5000;
// Binding types whose values the settings API does not return; `inherit` keeps them as they are.
const UNREADABLE_BINDING_TYPES = new Set(["secret_text", "secret_key"]);

/** Where the queue consumer's config sits, relative to the API worker's (the project root). */
export const CONSUMERS_CONFIG = "workers/consumers/wrangler.toml";

export interface PoolAddOptions {
  count: number;
  /** The API worker's config. Its folder is the project root, where migrations/tenant lives. */
  configPath: string;
  /** Configs of the other workers that bind the same pool: they get the same entries and bindings. */
  alsoConfigPaths: string[];
  /** Only append bindings to the configs; no Cloudflare calls (local D1s are created on first use). */
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

/** One config that binds the pool, read before anything changes. */
interface PoolConfig {
  path: string;
  toml: string;
  /** `migrations_dir` of new entries, relative to this config's folder. */
  migrationsDir: string;
}

/** The default for --also-config: the consumers worker's config next to `configPath`, if it exists. */
export async function defaultAlsoConfigPaths(configPath: string): Promise<string[]> {
  const telemetry = join(dirname(configPath), CONSUMERS_CONFIG);
  return access(telemetry).then(
    () => [telemetry],
    () => [],
  );
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

/** Returns the exit code: 0 when every database was created, attached and recorded everywhere. */
export async function poolAdd(options: PoolAddOptions, deps: PoolAddDeps): Promise<number> {
  const configs = await readPoolConfigs(options);
  return options.local ? addLocal(options, deps, configs) : addRemote(options, deps, configs);
}

/** The API worker's config first, then the others that share its pool. */
interface PoolConfigs {
  main: PoolConfig;
  all: PoolConfig[];
}

/** Reads every config and refuses, before anything changes, unless they all declare the same pool. */
async function readPoolConfigs(options: PoolAddOptions): Promise<PoolConfigs> {
  const projectRoot = dirname(options.configPath);
  const read = async (path: string): Promise<PoolConfig> => {
    const toml = await readWranglerConfig(path);
    assertAppendable(path, toml);
    return { path, toml, migrationsDir: tenantMigrationsDir(path, projectRoot) };
  };
  const main = await read(options.configPath);
  const all = [main];
  for (const path of options.alsoConfigPaths) {
    if (all.some((config) => resolve(config.path) === resolve(path))) {
      throw new UsageError(`${path} is given more than once`);
    }
    all.push(await read(path));
  }
  assertSamePool(main, all.slice(1));
  return { main, all };
}

function assertSamePool(main: PoolConfig, others: PoolConfig[]): void {
  const pool = tenantDatabasesInConfig(main.toml);
  const reports = others.flatMap((other) => {
    const differences = tenantPoolDifferences(pool, tenantDatabasesInConfig(other.toml));
    if (differences.length === 0) return [];
    const lines = differences.map((difference) => `  ${describeDifference(difference, main.path)}\n`);
    return [`${other.path} differs from ${main.path}:\n${lines.join("")}`];
  });
  if (reports.length > 0) {
    throw new CliError(
      `the workers' configs declare different tenant pools; nothing was changed.\n${reports.join("")}` +
        "Make every config declare the same TENANT_DB_* databases (binding, database_name, database_id), " +
        "then run this again.",
    );
  }
}

/** One line about the other config's entry, `left` being the API worker's. */
function describeDifference({ binding, left, right }: TenantPoolDifference, mainPath: string): string {
  if (right === undefined) return `${binding}: missing`;
  if (left === undefined) return `${binding}: not in ${mainPath}`;
  const fields: [key: string, other: string, api: string][] = [
    ["database_name", right.databaseName, left.databaseName],
    ["database_id", right.databaseId, left.databaseId],
  ];
  const described = fields
    .filter(([, other, api]) => other !== api)
    .map(([key, other, api]) => `${key} ${JSON.stringify(other)} instead of ${JSON.stringify(api)}`);
  return `${binding}: ${described.join(", ")}`;
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

function assertCeiling(existing: number, count: number, worker = "the worker"): void {
  if (existing + count > MAX_BINDINGS_PER_WORKER) {
    throw new CliError(
      `adding ${count} would give ${worker} ${existing + count} bindings, over the ~${MAX_BINDINGS_PER_WORKER} ` +
        "a Worker can have; shard tenants across API deployments instead (ARCHITECTURE.md)",
    );
  }
}

async function addLocal(
  options: PoolAddOptions,
  deps: PoolAddDeps,
  { main, all }: PoolConfigs,
): Promise<number> {
  const { stdout, stderr } = deps;
  const existing = tenantBindingsInConfig(main.toml);
  assertCeiling(existing.length, options.count);
  const randomUUID = deps.randomUUID ?? cryptoRandomUUID;
  // One uuid per database, shared by every config: locally the id is what makes it the same database.
  const entries = plannedEntries(nextTenantIndex(existing), options.count, () => randomUUID());

  if (options.dryRun) {
    const alsoTo = all
      .slice(1)
      .map(
        (config) => `and the same entries to ${config.path} (migrations_dir = "${config.migrationsDir}")\n`,
      );
    stdout.write(
      `Dry run (--local): would append ${plural(entries.length, "[[d1_databases]] entry", "[[d1_databases]] entries")} to ${main.path}:\n\n` +
        `${renderD1Blocks(entries, main.migrationsDir)}\n\n${alsoTo.join("")}Nothing was changed.\n`,
    );
    return 0;
  }
  const failures = await appendToEach(all, entries);
  const recorded = all.filter((config) => !failures.some((failure) => failure.config === config));
  if (recorded.length > 0) {
    stdout.write(
      `Added ${describeRange(entries)} to ${listPaths(recorded)} (local only, no Cloudflare calls).\n`,
    );
  }
  for (const { config, message } of failures) {
    stderr.write(
      `error: appending to ${config.path} failed: ${message}\n` +
        `Add this to it, or its worker will not bind the same pool:\n\n${renderD1Blocks(entries, config.migrationsDir)}\n\n`,
    );
  }
  stdout.write(
    "\nNext steps:\n" +
      "  1. pnpm types    refresh both workers' worker-configuration.d.ts\n" +
      "  2. Restart `pnpm dev`: wrangler creates the local D1 databases on first use, and the API\n" +
      "     records the new bindings as free the next time the pool is read or runs dry.\n",
  );
  return failures.length > 0 ? 1 : 0;
}

/** A deployed worker that binds the pool, as read before anything changes. */
interface PoolWorker {
  config: PoolConfig;
  script: string;
  settings: ScriptSettings;
  deployedTenants: string[];
  /** The deployed bindings to send back with the new ones (the PATCH replaces the list). */
  kept: WorkerBinding[];
  inherited: number;
}

async function addRemote(options: PoolAddOptions, deps: PoolAddDeps, configs: PoolConfigs): Promise<number> {
  const { stdout, stderr, cloudflare } = deps;
  const scripts = scriptNames(configs.all);
  if (!cloudflare) throw new CliError("no Cloudflare API client configured");

  const workers: PoolWorker[] = [];
  for (const [config, script] of scripts) {
    const settings = await cloudflare.getScriptSettings(script);
    const deployedTenants = settings.bindings.map((b) => b.name).filter((n) => tenantIndex(n) !== undefined);
    warnAboutDrift(script, deployedTenants, tenantBindingsInConfig(config.toml), config.path, stderr);
    assertCeiling(settings.bindings.length, options.count, `worker ${script}`);
    const kept = settings.bindings.map(keepBinding);
    const inherited = kept.filter((b) => b.type === "inherit").length;
    workers.push({ config, script, settings, deployedTenants, kept, inherited });
  }
  // Continue after the highest index anywhere, so a name is never reused even if configs and
  // deployments disagree (the configs agree with each other: readPoolConfigs checked).
  const first = nextTenantIndex([
    ...workers.flatMap((worker) => worker.deployedTenants),
    ...tenantBindingsInConfig(configs.main.toml),
  ]);
  const planned = plannedEntries(first, options.count, () => "<uuid from Cloudflare>");

  for (const { script, settings, deployedTenants } of workers) {
    stdout.write(
      `Worker ${script} has ${plural(settings.bindings.length, "binding")}, ${deployedTenants.length} of them tenant databases` +
        (deployedTenants.length > 0
          ? ` (highest ${tenantBindingName(nextTenantIndex(deployedTenants) - 1)}).\n`
          : ".\n"),
    );
  }
  if (options.dryRun) {
    stdout.write(
      `Dry run: would create ${plural(planned.length, "D1 database")} and bind them:\n` +
        planned.map((e) => `  ${e.binding} -> ${e.databaseName}\n`).join("") +
        "Would attach them with one settings update per worker:\n" +
        workers
          .map(
            (w) =>
              `  ${w.script}: keeping the ${plural(w.kept.length, "existing binding")} ` +
              `(${plural(w.inherited, "secret")} as inherit)\n`,
          )
          .join("") +
        `and append ${plural(planned.length, "[[d1_databases]] entry", "[[d1_databases]] entries")} to ` +
        `${listPaths(configs.all)}.\nNothing was changed.\n`,
    );
    return 0;
  }

  stdout.write(`Creating ${plural(planned.length, "D1 database")}:\n`);
  const { created, failure, notAttempted } = await createAndRecord(planned, configs.all, cloudflare, stdout);
  if (created.length === 0) {
    const reason = failure?.stage === "create" ? failure.message : "";
    throw new CliError(`no database was created, nothing changed.\n${reason}`);
  }

  const attachFailures: { worker: PoolWorker; message: string }[] = [];
  for (const worker of workers) {
    stdout.write(
      `Attaching ${plural(created.length, "binding")} to ${worker.script} (one settings update keeping ` +
        `${plural(worker.kept.length, "existing binding")}, ${plural(worker.inherited, "secret")} as inherit)... `,
    );
    const attachError = await attach(cloudflare, worker.script, worker.kept, created);
    stdout.write(attachError ? "FAILED\n" : "done\n");
    if (attachError) attachFailures.push({ worker, message: attachError });
  }
  stdout.write(
    `\nCreated and recorded ${describeRange(created)} (${created.length} of ${planned.length}).\n`,
  );

  if (failure?.stage === "create") {
    stderr.write(`error: creating ${failure.entry.databaseName} failed: ${failure.message}\n`);
  } else if (failure?.stage === "record") {
    for (const { config, message } of failure.unrecorded) {
      stderr.write(
        `error: ${failure.entry.databaseName} was created but recording it in ${config.path} failed: ${message}\n` +
          `Add this to ${config.path} before the next deploy:\n\n${renderD1Blocks([failure.entry], config.migrationsDir)}\n\n`,
      );
    }
  }
  if (notAttempted.length > 0) {
    stderr.write(`not attempted: ${notAttempted.map((e) => e.databaseName).join(", ")}\n`);
  }
  const mainAttached = !attachFailures.some(({ worker }) => worker.config === configs.main);
  for (const { worker, message } of attachFailures) {
    stderr.write(
      `error: attaching the bindings to ${worker.script} failed: ${message}\n` +
        `The databases are recorded in ${worker.config.path}; ` +
        `\`wrangler deploy --config ${worker.config.path}\` attaches them to ${worker.script}.\n`,
    );
    // The API hands out databases as soon as it sees their bindings; a consumer without them fails
    // on that tenant's messages until it is deployed.
    if (worker.config !== configs.main && mainAttached) {
      stderr.write(
        `Deploy it soon: ${workers[0]?.script} may already give these databases to new tenants, and ` +
          `${worker.script} cannot open them until then.\n`,
      );
    }
  }
  stdout.write(
    "\nNext steps:\n" +
      `  1. Commit ${listPaths(configs.all)}: deploys replace each worker's bindings with its config's.\n` +
      "  2. pnpm types    refresh both workers' worker-configuration.d.ts\n" +
      "  3. Nothing to restart: the API records new TENANT_DB_* bindings as free the next time the pool\n" +
      "     is read (`nexus tenants pool status`) or a registration finds none free.\n",
  );
  return failure || attachFailures.length > 0 ? 1 : 0;
}

/** Each config with its worker's script name; checked for all before the first API call. */
function scriptNames(configs: PoolConfig[]): [PoolConfig, string][] {
  const named: [PoolConfig, string][] = [];
  for (const config of configs) {
    const script = workerName(config.toml);
    if (!script) throw new CliError(`${config.path} has no top-level \`name\` (the worker's script name)`);
    const twin = named.find(([, other]) => other === script);
    if (twin) throw new CliError(`${twin[0].path} and ${config.path} both name the worker ${script}`);
    named.push([config, script]);
  }
  return named;
}

interface RecordFailure {
  config: PoolConfig;
  message: string;
}

type CreationFailure =
  | { stage: "create"; entry: TenantDatabaseEntry; message: string }
  | { stage: "record"; entry: TenantDatabaseEntry; unrecorded: RecordFailure[] };

interface CreationResult {
  /** Created databases (also those whose recording failed: they exist and get attached). */
  created: TenantDatabaseEntry[];
  failure?: CreationFailure;
  notAttempted: TenantDatabaseEntry[];
}

/**
 * Creates the databases one by one and records each in every config as soon as it exists: the
 * configs are the only record of their ids, and they make the next deploys bind them even if this
 * run dies before attaching them. Stops at the first failure, which is usually not transient (quota,
 * auth).
 */
async function createAndRecord(
  planned: TenantDatabaseEntry[],
  configs: PoolConfig[],
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
    const unrecorded = await appendToEach(configs, [entry]);
    if (unrecorded.length > 0) {
      stdout.write(
        `created ${entry.databaseId}, NOT recorded in ${listPaths(unrecorded.map((u) => u.config))}\n`,
      );
      const failure = { stage: "record" as const, entry, unrecorded };
      return { created, failure, notAttempted: planned.slice(offset + 1) };
    }
    stdout.write(`created ${entry.databaseId}\n`);
  }
  return { created, notAttempted: [] };
}

/** Appends to every config, carrying on past a failure so the others still get the entries. */
async function appendToEach(configs: PoolConfig[], entries: TenantDatabaseEntry[]): Promise<RecordFailure[]> {
  const failures: RecordFailure[] = [];
  for (const config of configs) {
    try {
      await appendD1Blocks(config.path, entries, config.migrationsDir);
    } catch (error) {
      failures.push({ config, message: describeError(error) });
    }
  }
  return failures;
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

function warnAboutDrift(
  script: string,
  deployed: string[],
  inConfig: string[],
  configPath: string,
  stderr: TextSink,
): void {
  const configured = new Set(inConfig);
  const unrecorded = deployed.filter((name) => !configured.has(name));
  if (unrecorded.length > 0) {
    stderr.write(
      `warning: ${unrecorded.join(", ")} ${unrecorded.length === 1 ? "is" : "are"} bound to worker ${script} but ` +
        `not in ${configPath}; the next \`wrangler deploy\` would remove ${unrecorded.length === 1 ? "it" : "them"}\n`,
    );
  }
}

function describeRange(entries: TenantDatabaseEntry[]): string {
  const first = entries[0]?.binding;
  const last = entries.at(-1)?.binding;
  return first === last ? `${first}` : `${first} .. ${last}`;
}

/** "a", "a and b", "a, b and c". */
function listPaths(configs: PoolConfig[]): string {
  const paths = configs.map((config) => config.path);
  const last = paths.pop();
  return paths.length === 0 ? `${last}` : `${paths.join(", ")} and ${last}`;
}
