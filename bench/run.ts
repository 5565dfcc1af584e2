// `pnpm bench`: bundle the API, run it on Miniflare, seed it over HTTP, load each route from a
// second process beside a no-op baseline, print the table and write bench/results/latest.json.
// See bench/README.md for how to read it.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freeLocalPort } from "../scripts/free-port.ts";
import { llmStandInVars } from "../scripts/llm-stand-ins/handler.ts";
import { startLlmStandIns } from "../scripts/llm-stand-ins/server.ts";
import { parseBenchArgs } from "./args.ts";
import { bundleWorker, consumersWorker, floorWorker, rawR2Worker } from "./build.ts";
import {
  ERROR_INGEST,
  type ErrorIngestResult,
  formatErrorIngest,
  measureErrorIngest,
} from "./error-ingest.ts";
import {
  type Counters,
  type D1Accounting,
  d1Accounting,
  formatD1,
  settledHubStats,
  withTargets,
} from "./hub.ts";
import { formatIngest, INGEST, type IngestResult, measureIngest } from "./ingest.ts";
import { guardRun, interruption, onCleanup, onExit, runCleanups } from "./lifecycle.ts";
import { type LoadResult, type LoadSpec, runLoad, stopActiveLoad } from "./load-client.ts";
import {
  type FanoutSockets,
  formatNotifyFanout,
  measureNotifyFanout,
  type NotifyFanout,
  notifyBudgetSeconds,
  notifyFanoutRoute,
} from "./notify.ts";
import {
  breakdown,
  bundleModuleMap,
  formatBreakdown,
  InspectorSession,
  startProfile,
  writeProfile,
} from "./profile.ts";
import {
  buildRows,
  byteThroughputs,
  comparisons,
  formatByteThroughputs,
  formatComparisons,
  formatFailures,
  formatMachine,
  formatTable,
  type Measured,
  machineInfo,
  writeReport,
  writeRunFile,
} from "./report.ts";
import {
  type BenchRoute,
  baselineRoute,
  SEEDED_INSTALLATIONS,
  type SeedContext,
  selectRoutes,
} from "./routes.ts";
import {
  formatSearchTenant,
  prepareSearchTenant,
  registerComparisonCompany,
  SEARCH_SECONDS_PER_1000,
  type SearchTenant,
  searchBenchRoute,
} from "./search.ts";
import { generateSecrets } from "./secrets.ts";
import { BENCH_LLM_POLICY, BENCH_VALIDATE_LIMIT, checkArtifactReads, checkLlmCalls, seed } from "./seed.ts";
import { applyMigrations, startWorker } from "./server.ts";
import { formatSoak, runSoak } from "./soak.ts";
import { readWorkerConfig } from "./worker-config.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const resultsFile = join(root, "bench", "results", "latest.json");
const soakFile = join(root, "bench", "results", "soak.json");
/** The API's release-artifacts bucket (wrangler.toml), which the raw R2 reader binds too. */
const ARTIFACTS_BINDING = "ARTIFACTS";
/** The database the API expects migrated up front; tenant databases it migrates itself on claim. */
const CENTRAL_DB = "CENTRAL_DB";
/**
 * Vars the bench overrides over wrangler.toml's. A short heartbeat flush interval makes several
 * CompanyHub flushes (its batched D1 writes) fall inside one measured run.
 */
const VAR_OVERRIDES = { HEARTBEAT_FLUSH_SECONDS: "2" } as const;
const FLUSH_SECONDS = Number(VAR_OVERRIDES.HEARTBEAT_FLUSH_SECONDS);
/** How long to poll the hub for its pending flush: a few flush intervals and some slack. */
const DRAIN_TIMEOUT_SECONDS = FLUSH_SECONDS * 3 + 10;

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2));
  const selected = options.soak ? [] : selectRoutes(options.routes);
  // Build + start + seed, then each route's warm-up and measurement with slack for spawning.
  const perRoute = options.warmupSeconds + options.durationSeconds + 30;
  const hubRoutes = selected.filter((route) => route.hubStats).length;
  const searching = selected.some((route) => route.name === searchBenchRoute.name);
  const notifying = selected.some((route) => route.name === notifyFanoutRoute.name);
  guardRun(
    options.soak
      ? // Build + start + seed; validating takes well under 0.2 s per installation; the load; its drain.
        240 + options.soak.installations * 0.2 + options.soak.minutes * 60 + 60
      : 240 +
          perRoute * (selected.length + 1) +
          hubRoutes * (3 * DRAIN_TIMEOUT_SECONDS + 30) +
          (options.ingest ? INGEST.timeoutSeconds + ERROR_INGEST.timeoutSeconds + 120 : 0) +
          (searching ? (options.searchEntities / 1000) * SEARCH_SECONDS_PER_1000 + 120 : 0) +
          (notifying ? notifyBudgetSeconds(options.notifySockets) : 0),
  );

  const tmp = mkdtempSync(join(tmpdir(), "nexus-bench-"));
  onExit(() => rmSync(tmp, { recursive: true, force: true }));
  onExit(stopActiveLoad);

  const configPath = join(root, "wrangler.toml");
  const config = readWorkerConfig(configPath);
  console.log("bench: bundling the API (wrangler deploy --dry-run)…");
  const bundleEntry = await bundleWorker(configPath, config.main, join(tmp, "bundle"));
  const secrets = generateSecrets(config.requiredSecrets);
  console.log("bench: bundling workers/consumers (the queue consumers)…");
  // The consumers validate their settings before any batch: the API's master key is one of them.
  const consumers = await consumersWorker(tmp, { ENCRYPTION_KEYS: secrets.ENCRYPTION_KEYS ?? "" });
  const rawR2 = await rawR2Worker(tmp, config, ARTIFACTS_BINDING);
  const floor = await floorWorker(tmp, config);

  const adminSecret = secrets.NEXUS_ADMIN_SECRET;
  if (!adminSecret) throw new Error("wrangler.toml no longer requires NEXUS_ADMIN_SECRET; seed.ts needs it");
  // The API's public origin is where its mail links point and the origin better-auth trusts: the
  // seed's dashboard owner signs up and accepts an invitation through it.
  const port = await freeLocalPort();
  // The LLM providers' stand-ins, a node server in this process: the gateway route calls them
  // through the API, llm-direct calls them alone.
  const standIns = await startLlmStandIns();
  onCleanup(() => standIns.stop());
  // The soak reads our isolates' heaps after a forced collection through the same inspector.
  const inspectorPort = options.profile || options.soak ? await freeLocalPort() : undefined;
  const { mf, url } = await startWorker({
    config,
    bundleEntry,
    port,
    ...(inspectorPort === undefined ? {} : { inspectorPort }),
    bindings: {
      ...config.vars,
      ...VAR_OVERRIDES,
      ...llmStandInVars(standIns.url),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      ...secrets,
    },
    stateDir: join(tmp, "state"),
    // The consumers roll up telemetry (ingest, soak); the raw R2 reader is the artifact range's
    // floor; the floor worker measures a bare Worker and one Durable Object call.
    companions: [consumers, rawR2, floor],
  });
  onCleanup(() => mf.dispose());

  const migrationsDir = config.d1Migrations.get(CENTRAL_DB);
  if (!migrationsDir) throw new Error(`wrangler.toml has no migrations_dir for ${CENTRAL_DB}`);
  await applyMigrations(mf, CENTRAL_DB, migrationsDir);
  const context: SeedContext = await seed(url, adminSecret, {
    installations: options.soak?.installations ?? SEEDED_INSTALLATIONS,
    log: (line) => console.log(`bench: seed: ${line}`),
    llmStandInOrigin: standIns.url,
  });
  console.log(`bench: API on ${url.origin}, seeded company ${context.companyCode}`);
  console.log(
    `bench: vars overridden for the bench: ${JSON.stringify(VAR_OVERRIDES)}; ` +
      `validate limit of tier ${context.tier} raised to ${BENCH_VALIDATE_LIMIT.limit} per ${BENCH_VALIDATE_LIMIT.window_seconds}s ` +
      `(default 10/min per IP) so validate measures validate, not the rate limiter; ` +
      `${context.installations.length} installations validated; ` +
      `client IP as the API sees it (CF-Connecting-IP, set by Miniflare): ${context.clientIp ?? "none"}, one rate-limit bucket for all bench requests; ` +
      `LLM providers pointed at the stand-ins on ${standIns.url}, LLM policy limits ${BENCH_LLM_POLICY.requests_per_minute} requests and ${BENCH_LLM_POLICY.tokens_per_minute} tokens a minute`,
  );
  if (options.soak) {
    const soaked = await runSoak(
      url,
      context,
      options.soak,
      (line) => console.log(`bench: ${line}`),
      inspectorPort === undefined
        ? undefined
        : { inspectorPort, workers: [config.name, consumers.config.name] },
    );
    console.log(`\n${formatSoak(soaked)}`);
    const machine = machineInfo();
    console.log(formatMachine(machine));
    writeRunFile(soakFile, root, options, machine, { varOverrides: VAR_OVERRIDES, soak: soaked });
    console.log(`bench: written to ${soakFile}`);
    // Failed requests and memory that grew fail the soak; too short a run for a verdict does not.
    return soaked.errors > 0 || soaked.verdict.flat === false ? 1 : 0;
  }
  console.log(`bench: ${await checkArtifactReads(url, context)}`);
  console.log(`bench: ${await checkLlmCalls(url, context)}`);
  const accountings: Omit<D1Accounting, "targets">[] = [];
  const inspector =
    inspectorPort === undefined ? null : await InspectorSession.open(inspectorPort, config.name);
  if (inspector) onCleanup(() => inspector.close());
  const moduleOf = bundleModuleMap(bundleEntry);

  /** The measured run of a route, CPU-profiled with --profile. */
  const measuredLoad = async (route: BenchRoute, spec: LoadSpec): Promise<LoadResult> => {
    if (!inspector) return runLoad(spec);
    const stop = await startProfile(inspector);
    const result = await runLoad(spec);
    const profile = await stop();
    writeProfile(join(root, "bench", "results", `${route.name}.cpuprofile`), profile);
    console.log(formatBreakdown(route.name, breakdown(profile, moduleOf), result.responses));
    return result;
  };

  const measure = async (route: BenchRoute): Promise<Measured> => {
    const request = route.request(context);
    console.log(
      `bench: ${route.name}: ${route.description} (${options.warmupSeconds}s warm-up + ${options.durationSeconds}s, ${options.connections} connections)`,
    );
    const hasBody = request.body !== undefined || (request.variants ?? []).some((v) => v.body !== undefined);
    const spec: LoadSpec = {
      url: new URL(request.path, url).href,
      method: route.method,
      headers: {
        ...(hasBody ? { "content-type": "application/json" } : {}),
        ...request.headers,
      },
      body: request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
      variants: request.variants?.map((variant) => ({
        headers: variant.headers ?? {},
        body: variant.body === undefined ? undefined : JSON.stringify(variant.body),
      })),
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
    };
    if (!route.hubStats) return { route, result: await measuredLoad(route, spec) };

    // Warm-up in its own run, so the hub's counters can be read between it and the measurement.
    // Each read waits until pending_flush is 0 and a flush followed the heartbeats since the read
    // before it, so the delta holds exactly the measured heartbeats' D1 work.
    const hubStats = (since?: Counters) =>
      settledHubStats(url, adminSecret, context.companyId, DRAIN_TIMEOUT_SECONDS, since);
    let before = await hubStats();
    if (options.warmupSeconds > 0) {
      await runLoad({ ...spec, durationSeconds: options.warmupSeconds, warmupSeconds: 0 });
      before = await hubStats(before.stats);
    }
    if (!before.drained) {
      throw new Error(
        `${route.name}: the hub did not flush the warm-up's heartbeats within ${DRAIN_TIMEOUT_SECONDS}s (stats ${JSON.stringify(before.stats)})`,
      );
    }
    const result: LoadResult = await measuredLoad(route, { ...spec, warmupSeconds: 0 });
    const after = await hubStats(before.stats);
    accountings.push(d1Accounting(route.name, FLUSH_SECONDS, before.stats, after, result.durationSeconds));
    return { route, result };
  };

  // One at a time: on 2 cores concurrent routes would measure each other.
  const baseline = await measure(baselineRoute);
  const measured: Measured[] = [];
  let searchTenant: SearchTenant | null = null;
  let notify: NotifyFanout | null = null;
  for (const route of selected) {
    if (route.name === notifyFanoutRoute.name) {
      // Timed by bench/notify.ts itself (trigger to frame on every socket), not by the load generator.
      const betterAuthSecret = secrets.BETTER_AUTH_SECRET;
      if (!betterAuthSecret)
        throw new Error("wrangler.toml no longer requires BETTER_AUTH_SECRET; notify.ts needs it");
      notify = await measureNotifyFanout(
        mf,
        url,
        context,
        {
          sockets: options.notifySockets,
          betterAuthSecret,
          onSockets: (sockets: FanoutSockets) => onCleanup(() => sockets.close()),
        },
        (line) => console.log(`bench: ${line}`),
      );
      continue;
    }
    if (route.name === searchBenchRoute.name) {
      // Generated only now, so the routes before it see the seeded company as it was.
      searchTenant = await prepareSearchTenant(
        mf,
        url,
        context,
        await registerComparisonCompany(url, adminSecret),
        options.searchEntities,
        (line) => console.log(`bench: ${line}`),
      );
    }
    measured.push(await measure(route));
  }

  const rows = buildRows(baseline, measured);
  const machine = machineInfo();
  console.log(`\n${formatMachine(machine)}\n${formatTable(rows)}\n`);
  const d1 = accountings.map((accounting) => withTargets(accounting, rows));
  if (d1.length > 0) console.log(`${formatD1(d1, rows)}\n`);
  const bytes = byteThroughputs(
    rows,
    measured.filter((entry) => entry.route.bytesComparedWith),
  );
  if (bytes.length > 0) console.log(`${formatByteThroughputs(bytes)}\n`);
  const compared = comparisons(
    rows,
    measured.filter((entry) => entry.route.comparedWith),
  );
  if (compared.length > 0) console.log(`${formatComparisons(compared)}\n`);
  if (searchTenant) console.log(`${formatSearchTenant(searchTenant, rows)}\n`);
  if (notify) console.log(`${formatNotifyFanout(notify, rows)}\n`);
  let ingest: IngestResult | null = null;
  if (options.ingest) {
    // The ingest profiles both workers with sessions of its own, so the routes' session goes first.
    inspector?.close();
    ingest = await measureIngest(
      mf,
      url,
      context,
      (line) => console.log(`bench: ${line}`),
      inspectorPort === undefined
        ? undefined
        : {
            inspectorPort,
            workers: [
              { name: config.name, bundle: bundleEntry },
              { name: consumers.config.name, bundle: consumers.bundleEntry },
            ],
            outDir: join(root, "bench", "results"),
          },
    );
    console.log(`${formatIngest(ingest, baseline.result.okPerSecond)}\n`);
  }
  let errorIngest: ErrorIngestResult | null = null;
  if (options.ingest) {
    errorIngest = await measureErrorIngest(mf, url, context, (line) => console.log(`bench: ${line}`));
    console.log(`${formatErrorIngest(errorIngest, baseline.result.okPerSecond)}\n`);
  }
  const failures = formatFailures(rows);
  if (failures) console.error(`${failures}\n`);
  writeReport(resultsFile, root, options, machine, rows, {
    varOverrides: VAR_OVERRIDES,
    seed: {
      tier: context.tier,
      validateLimit: BENCH_VALIDATE_LIMIT,
      installations: context.installations.length,
      clientIp: context.clientIp,
      llmStandIns: context.llm.standInOrigin,
      llmPolicy: BENCH_LLM_POLICY,
    },
    d1,
    bytes,
    comparisons: compared,
    search: searchTenant,
    notify,
    ingest,
    errorIngest,
  });
  console.log(`bench: written to ${resultsFile}`);
  // A hub that never flushed is a broken run; the PASS/MISS targets are informational only.
  const undrained = d1.some((accounting) => !accounting.drained);
  // Every socket must get every round's frame, once.
  const notifyIncomplete =
    notify !== null && (notify.total.arrived !== notify.total.expected || notify.duplicates > 0);
  const miscounted =
    (ingest !== null && ingest.counted !== ingest.samples) ||
    (errorIngest !== null && errorIngest.stored !== errorIngest.envelopes);
  return failures || undrained || miscounted || notifyIncomplete ? 1 : 0;
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
