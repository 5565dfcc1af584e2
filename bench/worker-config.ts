// Everything about the worker comes from wrangler.toml through wrangler's own readers, so a
// binding, var or secret added there reaches the bench without touching it.
import { dirname, resolve } from "node:path";
import type { Json } from "miniflare";
import type { SourcelessWorkerOptions, Unstable_Config } from "wrangler";
import { unstable_getMiniflareWorkerOptions, unstable_readConfig } from "wrangler";

export interface WorkerConfig {
  name: string;
  /** Absolute path of the worker's source entry. */
  main: string;
  vars: Record<string, Json>;
  requiredSecrets: string[];
  /** Miniflare options for every binding in the config (D1, KV, R2, …), minus the script. */
  workerOptions: SourcelessWorkerOptions;
  /** Absolute migrations folder of each D1 binding that has one. */
  d1Migrations: Map<string, string>;
}

export function readWorkerConfig(configPath: string): WorkerConfig {
  const config: Unstable_Config = unstable_readConfig({ config: configPath }, { hideWarnings: true });
  if (!config.main) throw new Error(`${configPath} has no \`main\``);
  // It warns that the secrets are missing; the bench generates them, so keep that out of the output.
  const previousLog = process.env.WRANGLER_LOG;
  process.env.WRANGLER_LOG = "error";
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  if (previousLog === undefined) delete process.env.WRANGLER_LOG;
  else process.env.WRANGLER_LOG = previousLog;

  const configDir = dirname(resolve(configPath));
  const d1Migrations = new Map<string, string>();
  for (const database of config.d1_databases) {
    if (database.migrations_dir)
      d1Migrations.set(database.binding, resolve(configDir, database.migrations_dir));
  }
  return {
    name: config.name ?? "worker",
    main: resolve(configDir, config.main),
    vars: { ...config.vars },
    requiredSecrets: config.secrets?.required ?? [],
    workerOptions,
    d1Migrations,
  };
}
