// `pnpm bench --soak`: N simulated installations, each heartbeating, checking for updates (the
// channel file) and sending telemetry on its own steady schedule (SOAK_SCHEDULE) for M minutes,
// while workerd's resident memory is sampled. Prints each interval's requests, errors and memory,
// and at the end whether the memory stayed flat. The load is open-loop like a real fleet: a slow
// answer does not slow the schedule (an installation whose previous request of that kind is still
// unanswered skips its tick, counted as skipped).
import { HeartbeatResponseSchema } from "../packages/contracts/src/company-app/schemas.ts";
import { MachineResponseSchema } from "../packages/contracts/src/machines/schemas.ts";
import { routes } from "../packages/contracts/src/routes.ts";
import { TelemetryIngestResponseSchema } from "../packages/contracts/src/telemetry/schemas.ts";
import type { SoakOptions } from "./args.ts";
import type { SeedContext } from "./routes.ts";
import { HeapProbe } from "./soak-heap.ts";
import {
  type ActionCounts,
  addCounts,
  emptyCounts,
  errorCount,
  firstAt,
  formatVerdict,
  HEAP_TOLERANCE,
  type HeapSample,
  type MemorySample,
  type MemoryVerdict,
  megabytes,
  memoryVerdict,
  offeredLoad,
  percentile,
  SOAK_ACTIONS,
  SOAK_SCHEDULE,
  type SoakAction,
} from "./soak-stats.ts";
import { workerdResident } from "./workerd-memory.ts";

export const SOAK = {
  /** A line every this many seconds. */
  reportSeconds: 30,
  /** workerd's RSS is read this often (cheap: a few /proc files). */
  memorySampleSeconds: 5,
  /**
   * Our isolates' heap after a forced full collection, this often: the leak signal. Each collection
   * pauses the isolate for a few ms, so not more often than the report.
   */
  heapSampleSeconds: 30,
  /** Machines the telemetry samples are about (created through the API before the load). */
  machines: 10,
  samplesPerBatch: 20,
  /** A request without an answer after this long counts as a timeout. */
  requestTimeoutMs: 10_000,
} as const;

export interface SoakInterval {
  /** Seconds since the load started, at the end of the interval. */
  atSeconds: number;
  seconds: number;
  sent: number;
  ok: number;
  errors: Record<string, number>;
  skipped: number;
  p50Ms: number | null;
  p99Ms: number | null;
  rssBytes: number;
  /** Our isolates' live heap after the latest forced collection, summed; null without an inspector. */
  heapBytes: number | null;
}

export interface SoakResult {
  installations: number;
  minutes: number;
  schedule: typeof SOAK_SCHEDULE;
  offeredPerSecond: ReturnType<typeof offeredLoad>;
  workerdPids: number[];
  intervals: SoakInterval[];
  totals: Record<SoakAction, Omit<ActionCounts, "latenciesMs">>;
  memory: MemorySample[];
  /** Our isolates' heaps after a forced collection, every SOAK.heapSampleSeconds (with an inspector). */
  heap: HeapSample[];
  /**
   * The verdict that fails the soak: our isolates' heap after a forced collection, or, without an
   * inspector, workerd's RSS. RSS alone climbs for minutes between V8's major collections.
   */
  verdict: MemoryVerdict;
  /** What `verdict` judged. */
  verdictOf: "heap" | "rss";
  /** workerd's RSS, judged the same way, for reading. */
  rssVerdict: MemoryVerdict;
  /** Heartbeat answers that carried a fresh token (the installation then used it). */
  tokensRenewed: number;
  errors: number;
}

interface SimulatedInstallation {
  machineId: string;
  token: string;
  stagingId: string;
  settingsVersion: number | undefined;
  inFlight: Set<SoakAction>;
  batches: number;
  tokensRenewed: number;
}

/** A UUID-shaped staging id spread over the cohort range, as in the channel-file route. */
function stagingId(index: number, count: number): string {
  const spread = Math.floor((index / Math.max(1, count)) * 0xffffffff);
  return `00000000-0000-4000-8000-0000${spread.toString(16).padStart(8, "0")}`;
}

async function createMachines(url: URL, context: SeedContext): Promise<string[]> {
  const path = routes.createMachine.path.replace("{companyId}", encodeURIComponent(context.companyId));
  const ids: string[] = [];
  for (let i = 1; i <= SOAK.machines; i++) {
    const response = await fetch(new URL(path, url), {
      method: "POST",
      headers: { authorization: `Bearer ${context.adminSecret}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `Soak machine ${i}` }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`soak: creating a machine answered ${response.status}: ${text}`);
    ids.push(MachineResponseSchema.parse(JSON.parse(text)).machine.id);
  }
  return ids;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** One request of an action: its URL, method, headers and body, and how to check a 2xx answer. */
function requestOf(
  action: SoakAction,
  url: URL,
  context: SeedContext,
  installation: SimulatedInstallation,
  machines: readonly string[],
): { input: URL; init: RequestInit; accept: (status: number, text: string) => boolean } {
  const authorization = `Bearer ${installation.token}`;
  const postJson = (body: unknown): RequestInit => ({
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (action === "heartbeat") {
    return {
      input: new URL(routes.heartbeat.path, url),
      init: postJson({
        company_code: context.companyCode,
        machine_id: installation.machineId,
        app_version: "1.0.0",
        ...(installation.settingsVersion === undefined
          ? {}
          : { settings_version: installation.settingsVersion }),
      }),
      accept: (status, text) => {
        const answer = HeartbeatResponseSchema.safeParse(parseJson(text));
        if (status !== 200 || !answer.success) return false;
        installation.settingsVersion = answer.data.settings_version;
        // Apps use the fresh token from then on; so does the soak, so a run may outlast a token.
        if (answer.data.installation) {
          installation.token = answer.data.installation.token;
          installation.tokensRenewed++;
        }
        return true;
      },
    };
  }
  if (action === "check") {
    return {
      input: new URL(`/api/updates/latest.yml?company_code=${encodeURIComponent(context.companyCode)}`, url),
      init: { method: "GET", headers: { authorization, "x-user-staging-id": installation.stagingId } },
      accept: (status, text) => status === 200 && text.includes("version:"),
    };
  }
  const batch = installation.batches++;
  const now = Date.now();
  return {
    input: new URL(routes.ingestTelemetry.path, url),
    init: postJson({
      batch_id: `soak-${installation.machineId}-${batch}`,
      samples: Array.from({ length: SOAK.samplesPerBatch }, (_, i) => ({
        machine_id: machines[(batch + i) % machines.length],
        metric: i % 2 ? "temperature" : "vibration",
        value: (batch * 7 + i) % 97,
        ts: now - i * 100,
      })),
    }),
    accept: (status, text) => {
      const answer = TelemetryIngestResponseSchema.safeParse(parseJson(text));
      return status === 202 && answer.success && answer.data.accepted.samples === SOAK.samplesPerBatch;
    },
  };
}

/** workerd's inspector, opened for the soak, and our workers whose heaps it reads (bench/soak-heap.ts). */
export interface SoakInspector {
  inspectorPort: number;
  workers: readonly string[];
}

export async function runSoak(
  url: URL,
  context: SeedContext,
  options: SoakOptions,
  log: (line: string) => void,
  inspector?: SoakInspector,
): Promise<SoakResult> {
  const machines = await createMachines(url, context);
  const count = context.installations.length;
  const fleet: SimulatedInstallation[] = context.installations.map((installation, index) => ({
    machineId: installation.machineId,
    token: installation.token,
    stagingId: stagingId(index, count),
    settingsVersion: undefined,
    inFlight: new Set(),
    batches: 0,
    tokensRenewed: 0,
  }));
  const offered = offeredLoad(count);
  const runSeconds = options.minutes * 60;
  log(
    `soak: ${count} installations for ${options.minutes} min, each a heartbeat every ${SOAK_SCHEDULE.heartbeat} s, ` +
      `an update check every ${SOAK_SCHEDULE.check} s and a telemetry batch of ${SOAK.samplesPerBatch} samples every ${SOAK_SCHEDULE.telemetry} s: ` +
      `offered load ${offered.total.toFixed(1)} req/s (heartbeat ${offered.heartbeat.toFixed(1)}, check ${offered.check.toFixed(1)}, telemetry ${offered.telemetry.toFixed(1)})`,
  );

  const interval: Record<SoakAction, ActionCounts> = {
    heartbeat: emptyCounts(),
    check: emptyCounts(),
    telemetry: emptyCounts(),
  };
  const totals: Record<SoakAction, ActionCounts> = {
    heartbeat: emptyCounts(),
    check: emptyCounts(),
    telemetry: emptyCounts(),
  };
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;

  const fire = (action: SoakAction, installation: SimulatedInstallation) => {
    const counts = interval[action];
    if (installation.inFlight.has(action)) {
      counts.skipped++;
      return;
    }
    installation.inFlight.add(action);
    counts.sent++;
    const request = requestOf(action, url, context, installation, machines);
    const began = performance.now();
    const done = (async () => {
      let kind: string | null = null;
      try {
        const response = await fetch(request.input, {
          ...request.init,
          signal: AbortSignal.timeout(SOAK.requestTimeoutMs),
        });
        const text = await response.text();
        if (response.status >= 300) kind = String(response.status);
        else if (!request.accept(response.status, text)) kind = "bad-answer";
      } catch (error) {
        kind = error instanceof Error && error.name === "TimeoutError" ? "timeout" : "network";
      } finally {
        installation.inFlight.delete(action);
      }
      // Counted into whichever interval is current when the answer arrives.
      const current = interval[action];
      if (kind === null) {
        current.ok++;
        current.latenciesMs.push(performance.now() - began);
      } else current.errors[kind] = (current.errors[kind] ?? 0) + 1;
    })();
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  const timers: NodeJS.Timeout[] = [];
  fleet.forEach((installation, index) => {
    for (const action of SOAK_ACTIONS) {
      const period = SOAK_SCHEDULE[action];
      timers.push(
        setTimeout(
          () => {
            fire(action, installation);
            timers.push(setInterval(() => fire(action, installation), period * 1000));
          },
          firstAt(index, count, period) * 1000,
        ),
      );
    }
  });

  const memory: MemorySample[] = [];
  let pids: number[] = [];
  const sampleMemory = () => {
    const resident = workerdResident();
    if (resident.pids.length > 0) pids = resident.pids;
    memory.push({
      seconds: elapsed(),
      rssBytes: resident.rssBytes,
      anonBytes: resident.anonBytes,
      fileBytes: resident.fileBytes,
    });
    return resident.rssBytes;
  };
  const probe = inspector ? await HeapProbe.open(inspector.inspectorPort, inspector.workers) : null;
  const heap: HeapSample[] = [];
  let heapReading: Promise<void> | null = null;
  const sampleHeap = () => {
    if (!probe || heapReading) return;
    const seconds = elapsed();
    heapReading = probe
      .read()
      .then((readings) => {
        // RSS right after our isolates collected: the garbage they held is given back by then.
        const rssAfterGcBytes = sampleMemory();
        // A reading some isolate did not answer would compare a smaller sum with full ones.
        if (readings.length < (inspector?.workers.length ?? 0)) return;
        const usedBytes = Object.fromEntries(readings.map((r) => [r.isolate, r.usedBytes]));
        heap.push({ seconds, usedBytes, rssAfterGcBytes });
      })
      .finally(() => {
        heapReading = null;
      });
  };
  const intervals: SoakInterval[] = [];
  let lastReport = 0;
  const report = () => {
    const now = elapsed();
    const merged = emptyCounts();
    for (const action of SOAK_ACTIONS) {
      addCounts(merged, interval[action]);
      merged.latenciesMs.push(...interval[action].latenciesMs);
      addCounts(totals[action], interval[action]);
      interval[action] = emptyCounts();
    }
    const rssBytes = memory.at(-1)?.rssBytes ?? 0;
    const row: SoakInterval = {
      atSeconds: now,
      seconds: now - lastReport,
      sent: merged.sent,
      ok: merged.ok,
      errors: merged.errors,
      skipped: merged.skipped,
      p50Ms: percentile(merged.latenciesMs, 50),
      p99Ms: percentile(merged.latenciesMs, 99),
      rssBytes,
      heapBytes: heapTotal(heap.at(-1)),
    };
    intervals.push(row);
    lastReport = now;
    log(formatInterval(row));
  };

  sampleHeap();
  const memoryTimer = setInterval(sampleMemory, SOAK.memorySampleSeconds * 1000);
  const heapTimer = setInterval(sampleHeap, SOAK.heapSampleSeconds * 1000);
  const reportTimer = setInterval(report, SOAK.reportSeconds * 1000);
  try {
    await new Promise((resolve) => setTimeout(resolve, runSeconds * 1000));
  } finally {
    for (const timer of timers) clearTimeout(timer);
    clearInterval(memoryTimer);
    clearInterval(heapTimer);
    clearInterval(reportTimer);
  }
  // Answers still on their way belong to the run; anything past the timeout is already counted.
  await Promise.allSettled([...pending]);
  await heapReading;
  sampleHeap();
  await heapReading;

  sampleMemory();
  report();

  const rssVerdict = memoryVerdict(
    memory.map((sample) => ({ seconds: sample.seconds, bytes: sample.rssBytes })),
    runSeconds,
  );
  const heapSizes = heap.map((sample) => ({ seconds: sample.seconds, bytes: heapTotal(sample) ?? 0 }));
  const verdictOf = heapSizes.length > 0 ? "heap" : "rss";
  const verdict = verdictOf === "heap" ? memoryVerdict(heapSizes, runSeconds, HEAP_TOLERANCE) : rssVerdict;
  const errors = SOAK_ACTIONS.reduce((total, action) => total + errorCount(totals[action]), 0);
  const result: SoakResult = {
    installations: count,
    minutes: options.minutes,
    schedule: SOAK_SCHEDULE,
    offeredPerSecond: offered,
    workerdPids: pids,
    intervals,
    totals: Object.fromEntries(
      SOAK_ACTIONS.map((action) => {
        const { latenciesMs: _, ...counts } = totals[action];
        return [action, counts];
      }),
    ) as SoakResult["totals"],
    memory,
    heap,
    verdict,
    verdictOf,
    rssVerdict,
    tokensRenewed: fleet.reduce((total, installation) => total + installation.tokensRenewed, 0),
    errors,
  };
  return result;
}

const heapTotal = (sample: HeapSample | undefined): number | null =>
  sample ? Object.values(sample.usedBytes).reduce((total, bytes) => total + bytes, 0) : null;

const errorsText = (errors: Record<string, number>) => {
  const entries = Object.entries(errors);
  return entries.length === 0 ? "none" : entries.map(([kind, n]) => `${kind}×${n}`).join(" ");
};

const clock = (seconds: number) =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

export function formatInterval(row: SoakInterval): string {
  const ms = (value: number | null) => (value === null ? "n/a" : value.toFixed(1));
  return (
    `soak ${clock(row.atSeconds)}  ${row.sent} requests (${(row.sent / Math.max(row.seconds, 1e-9)).toFixed(1)}/s), ` +
    `${row.ok} ok, errors ${errorsText(row.errors)}, skipped ${row.skipped}, ` +
    `p50 ${ms(row.p50Ms)} ms p99 ${ms(row.p99Ms)} ms, workerd RSS ${megabytes(row.rssBytes)}` +
    (row.heapBytes === null ? "" : `, JS heap after GC ${megabytes(row.heapBytes)}`)
  );
}

export function formatSoak(result: SoakResult): string {
  const lines = SOAK_ACTIONS.map((action) => {
    const counts = result.totals[action];
    return `  ${action.padEnd(9)} ${counts.sent} sent, ${counts.ok} ok, errors ${errorsText(counts.errors)}, skipped ${counts.skipped}`;
  });
  return [
    `soak: ${result.installations} installations, ${result.minutes} min, offered ${result.offeredPerSecond.total.toFixed(1)} req/s; ${result.tokensRenewed} tokens renewed by heartbeats`,
    ...lines,
    formatVerdict(result.rssVerdict, "workerd RSS (for reading)"),
    ...(result.verdictOf === "heap"
      ? [formatVerdict(result.verdict, "JS heap after a forced GC (API and consumers)")]
      : []),
    result.errors > 0 ? `!!! ${result.errors} failed requests: the soak fails !!!` : "no failed requests",
  ].join("\n");
}
