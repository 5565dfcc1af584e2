// Bundles the API exactly as a deploy would (same esbuild config, same module rules), without
// uploading: the bench then measures the code that ships, not a dev-server transform of it.
import { execFile } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { RAW_R2_PREFIX } from "./raw-r2-range.ts";
import type { WorkerSpec } from "./server.ts";
import { readWorkerConfig, type WorkerConfig } from "./worker-config.ts";

const run = promisify(execFile);

function wranglerBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
}

/** Returns the path of the bundled entry module inside `outDir`. */
export async function bundleWorker(configPath: string, main: string, outDir: string): Promise<string> {
  try {
    await run(
      process.execPath,
      [wranglerBin(), "deploy", "--dry-run", "--config", configPath, "--outdir", outDir],
      {
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
        // No telemetry or banner: the bench must not reach for the network.
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" },
      },
    );
  } catch (error) {
    const output = error instanceof Error && "stderr" in error ? String(error.stderr) : String(error);
    throw new Error(`wrangler deploy --dry-run failed:\n${output}`);
  }
  // esbuild names the output after the entry point (workers/api/src/index.ts -> index.js).
  const entry = join(outDir, `${basename(main, extname(main))}.js`);
  if (!existsSync(entry)) {
    throw new Error(`expected bundle ${entry}; wrangler wrote: ${readdirSync(outDir).join(", ")}`);
  }
  return entry;
}

/**
 * workers/consumers, bundled into `tmp` (the queue consumers that turn ingested samples into roll-ups),
 * with its wrangler.toml vars plus `bindings` (ENCRYPTION_KEYS: its settings are validated).
 */
export async function consumersWorker(
  tmp: string,
  bindings: Record<string, string> = {},
): Promise<WorkerSpec> {
  const configPath = fileURLToPath(new URL("../workers/consumers/wrangler.toml", import.meta.url));
  const config = readWorkerConfig(configPath);
  const bundleEntry = await bundleWorker(configPath, config.main, join(tmp, "consumers-bundle"));
  return { config, bundleEntry, bindings: { ...config.vars, ...bindings } };
}

/**
 * bench/raw-r2-worker.ts, bundled into `tmp`, bound as BUCKET to the bucket of the API's `binding`
 * (same bucket name: Miniflare keeps one local store per bucket name, so it reads what the API's
 * uploads wrote). Miniflare sends `RAW_R2_PREFIX*` on the API's own socket to it, so both routes go
 * through the same entry socket and HTTP stack.
 */
export async function rawR2Worker(tmp: string, api: WorkerConfig, binding: string): Promise<WorkerSpec> {
  // wrangler's reader emits the record form, { BINDING: { id: <bucket name> } }.
  const buckets: unknown = api.workerOptions.r2Buckets;
  const bucket: unknown =
    typeof buckets === "object" && buckets !== null && !Array.isArray(buckets)
      ? (buckets as Record<string, unknown>)[binding]
      : undefined;
  if (!bucket) throw new Error(`wrangler.toml has no R2 bucket bound as ${binding}`);
  return benchWorker(tmp, "raw-r2-worker.ts", "bench-raw-r2", {
    compatibilityDate: api.workerOptions.compatibilityDate,
    r2Buckets: { BUCKET: bucket },
    routes: [`*${RAW_R2_PREFIX}*`],
  });
}

/** A bench-only worker module of this folder, bundled into `tmp`, with its Miniflare options. */
async function benchWorker(
  tmp: string,
  file: string,
  name: string,
  workerOptions: WorkerConfig["workerOptions"],
): Promise<WorkerSpec> {
  const bundleEntry = join(tmp, `${name}-bundle`, "index.js");
  await build({
    entryPoints: [fileURLToPath(new URL(`./${file}`, import.meta.url))],
    outfile: bundleEntry,
    bundle: true,
    format: "esm",
    platform: "neutral",
    external: ["cloudflare:workers"],
    logLevel: "error",
  });
  const config: WorkerConfig = {
    name,
    main: bundleEntry,
    vars: {},
    requiredSecrets: [],
    workerOptions,
    d1Migrations: new Map(),
  };
  return { config, bundleEntry, bindings: {} };
}

/** The bench-only floor worker (bench/floor-worker.ts): a bare Worker and one Durable Object call. */
export function floorWorker(tmp: string, api: WorkerConfig): Promise<WorkerSpec> {
  return benchWorker(tmp, "floor-worker.ts", "bench-floor", {
    compatibilityDate: api.workerOptions.compatibilityDate,
    durableObjects: { FLOOR: { className: "FloorObject", useSQLite: true } },
    routes: ["*/__floor/*"],
  });
}
