// `pnpm bench`: bundle the API, run it on Miniflare, seed it over HTTP, load each route from a
// second process beside a no-op baseline, print the table and write bench/results/latest.json.
// See bench/README.md for how to read it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseBenchArgs } from "./args.ts";
import { bundleWorker } from "./build.ts";
import { guardRun, interruption, onCleanup, onExit, runCleanups } from "./lifecycle.ts";
import { type LoadResult, runLoad, stopActiveLoad } from "./load-client.ts";
import {
  buildRows,
  formatFailures,
  formatMachine,
  formatTable,
  type Measured,
  machineInfo,
  writeReport,
} from "./report.ts";
import { type BenchRoute, baselineRoute, benchRoutes, type SeedContext } from "./routes.ts";
import { generateSecrets } from "./secrets.ts";
import { seed } from "./seed.ts";
import { applyMigrations, startWorker } from "./server.ts";
import { readWorkerConfig } from "./worker-config.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const resultsFile = join(root, "bench", "results", "latest.json");
/** The database the API expects migrated up front; tenant databases it migrates itself on claim. */
const CENTRAL_DB = "CENTRAL_DB";

function selectRoutes(names: readonly string[]): BenchRoute[] {
  if (names.length === 0) return [...benchRoutes];
  return names.map((name) => {
    const route = benchRoutes.find((candidate) => candidate.name === name);
    if (!route) {
      throw new Error(`unknown route "${name}"; known: ${benchRoutes.map((r) => r.name).join(", ")}`);
    }
    return route;
  });
}

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2));
  const selected = selectRoutes(options.routes);
  // Build + start + seed, then each route's warm-up and measurement with slack for spawning.
  const perRoute = options.warmupSeconds + options.durationSeconds + 30;
  guardRun(240 + perRoute * (selected.length + 1));

  const tmp = mkdtempSync(join(tmpdir(), "nexus-bench-"));
  onExit(() => rmSync(tmp, { recursive: true, force: true }));
  onExit(stopActiveLoad);

  const configPath = join(root, "wrangler.toml");
  const config = readWorkerConfig(configPath);
  console.log("bench: bundling the API (wrangler deploy --dry-run)…");
  const bundleEntry = await bundleWorker(configPath, config.main, join(tmp, "bundle"));

  const secrets = generateSecrets(config.requiredSecrets);
  const adminSecret = secrets.NEXUS_ADMIN_SECRET;
  if (!adminSecret) throw new Error("wrangler.toml no longer requires NEXUS_ADMIN_SECRET; seed.ts needs it");
  const { mf, url } = await startWorker({
    config,
    bundleEntry,
    bindings: { ...config.vars, ...secrets },
    stateDir: join(tmp, "state"),
  });
  onCleanup(() => mf.dispose());

  const migrationsDir = config.d1Migrations.get(CENTRAL_DB);
  if (!migrationsDir) throw new Error(`wrangler.toml has no migrations_dir for ${CENTRAL_DB}`);
  await applyMigrations(mf, CENTRAL_DB, migrationsDir);
  const context: SeedContext = await seed(url, adminSecret);
  console.log(`bench: API on ${url.origin}, seeded company ${context.companyCode}`);

  const measure = async (route: BenchRoute): Promise<Measured> => {
    const request = route.request(context);
    console.log(
      `bench: ${route.name}: ${route.description} (${options.warmupSeconds}s warm-up + ${options.durationSeconds}s, ${options.connections} connections)`,
    );
    const result: LoadResult = await runLoad({
      url: new URL(request.path, url).href,
      method: route.method,
      headers: {
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
    });
    return { route, result };
  };

  // One at a time: on 2 cores concurrent routes would measure each other.
  const baseline = await measure(baselineRoute);
  const measured: Measured[] = [];
  for (const route of selected) measured.push(await measure(route));

  const rows = buildRows(baseline, measured);
  const machine = machineInfo();
  console.log(`\n${formatMachine(machine)}\n${formatTable(rows)}\n`);
  const failures = formatFailures(rows);
  if (failures) console.error(`${failures}\n`);
  writeReport(resultsFile, root, options, machine, rows);
  console.log(`bench: written to ${resultsFile}`);
  return failures ? 1 : 0;
}

main()
  .then(async (code) => {
    await runCleanups();
    process.exitCode = code;
  })
  .catch(async (error: unknown) => {
    // After Ctrl-C or the time budget, errors are the echo of the teardown already under way.
    if (interruption()) return;
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    await runCleanups();
    process.exitCode = 1;
  });
