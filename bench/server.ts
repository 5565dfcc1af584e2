// Runs the bundled API on Miniflare directly (workerd behind Miniflare's own entry socket, no
// `wrangler dev` proxy), listening on 127.0.0.1 only.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Json, V4ModuleDefinition, V4ModuleRule } from "miniflare";
import { compileModuleRules, convertV4MiniflareOptions, Miniflare, testRegExps } from "miniflare";
import type { WorkerConfig } from "./worker-config.ts";

export interface WorkerSpec {
  config: WorkerConfig;
  bundleEntry: string;
  bindings: Record<string, Json>;
}

export interface StartOptions extends WorkerSpec {
  /** More workers in the same runtime (e.g. workers/consumers): they share D1s by id and the queues. */
  companions?: WorkerSpec[];
  /** D1 and other local state; a temp dir so nothing of a run outlives it. */
  stateDir: string;
  /** Default: a free port the OS picks. */
  port?: number;
  /** Opens workerd's DevTools inspector on this port (bench --profile). */
  inspectorPort?: number;
  /** Receives the workers' log lines instead of the console (tests that read what was logged). */
  onLog?: (log: { level: string; message: string }) => void;
}

async function withTimeout<T>(promise: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${seconds}s`)), seconds * 1000);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The bundle's modules, listed explicitly: Miniflare 5 cannot take module rules through its v4
 * option converter. The entry is the ES module; every other file wrangler wrote is typed by the
 * config's rules (e.g. the tenant .sql migrations as Text), and files no rule claims (the source
 * map, wrangler's README) are not modules.
 */
function bundleModules(bundleDir: string, entry: string, rules: V4ModuleRule[]): V4ModuleDefinition[] {
  const compiled = compileModuleRules(rules);
  const modules: V4ModuleDefinition[] = [{ type: "ESModule", path: resolve(entry) }];
  for (const file of readdirSync(bundleDir, { recursive: true, encoding: "utf8" })) {
    const path = resolve(bundleDir, file);
    if (path === resolve(entry)) continue;
    const rule = compiled.find((candidate) => testRegExps(candidate.include, path));
    if (rule) modules.push({ type: rule.type, path });
  }
  return modules;
}

/** Miniflare 4-style options for one bundled worker, from its wrangler config. */
function workerOptions({ config, bundleEntry, bindings }: WorkerSpec) {
  const { modulesRules = [], ...bindingOptions } = config.workerOptions;
  return {
    ...bindingOptions,
    name: config.name,
    // wrangler's bindings would include a developer's .dev.vars; the bench uses only
    // wrangler.toml's vars plus its own generated secrets, so runs are comparable.
    bindings,
    // Module names are paths relative to this root; wrangler's rootPath is the project.
    modulesRoot: dirname(bundleEntry),
    modules: bundleModules(dirname(bundleEntry), bundleEntry, modulesRules),
  };
}

export async function startWorker(options: StartOptions): Promise<{ mf: Miniflare; url: URL }> {
  const { stateDir, port = 0, companions = [], inspectorPort, onLog } = options;
  // wrangler's readers emit Miniflare 4-style worker options; Miniflare 5 converts them the same
  // way wrangler itself does.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port,
      ...(inspectorPort === undefined ? {} : { inspectorPort }),
      ...(onLog === undefined ? {} : { handleStructuredLogs: onLog }),
      // Miniflare would otherwise download the `request.cf` fixture; the bench stays offline.
      cf: false,
      telemetry: { enabled: false },
      resourcePersistencePath: stateDir,
      // The first worker receives the HTTP requests.
      workers: [options, ...companions].map(workerOptions),
    }),
  );
  try {
    const url = await withTimeout(mf.ready, 60, "starting Miniflare");
    return { mf, url };
  } catch (error) {
    await mf.dispose();
    throw error;
  }
}

/** Applies a D1 binding's migrations in file order, as `wrangler d1 migrations apply` would. */
export async function applyMigrations(mf: Miniflare, binding: string, dir: string): Promise<number> {
  const db = await mf.getD1Database(binding);
  const files = readdirSync(dir)
    .filter((file) => file.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const statements = readFileSync(join(dir, file), "utf8")
      .split("--> statement-breakpoint")
      .map((statement) => statement.trim())
      .filter((statement) => statement.length > 0);
    // One batch per file: a file applies whole or not at all.
    await db.batch(statements.map((statement) => db.prepare(statement)));
  }
  return files.length;
}
