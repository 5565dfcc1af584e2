// The soak's bookkeeping, apart from its I/O so it can be tested: the offered load, per-interval
// counters, and the verdict on workerd's resident memory.

/** What each simulated installation does, and how often (seconds between two of its requests). */
export const SOAK_SCHEDULE = {
  /** Production apps heartbeat every 60 s; 10 s puts six times the load of a fleet that size on it. */
  heartbeat: 10,
  /** electron-updater's check; apps check at start and then every few hours, so this is generous. */
  check: 30,
  telemetry: 30,
} as const;
export type SoakAction = keyof typeof SOAK_SCHEDULE;
export const SOAK_ACTIONS = Object.keys(SOAK_SCHEDULE) as SoakAction[];

/** Requests per second the whole fleet offers, per action and in total. */
export function offeredLoad(installations: number): Record<SoakAction | "total", number> {
  const heartbeat = installations / SOAK_SCHEDULE.heartbeat;
  const check = installations / SOAK_SCHEDULE.check;
  const telemetry = installations / SOAK_SCHEDULE.telemetry;
  return { heartbeat, check, telemetry, total: heartbeat + check + telemetry };
}

/**
 * Seconds after the start at which installation `index` of `count` first does an action that
 * repeats every `periodSeconds`: spread evenly over one period, so the load is steady rather than
 * a burst of the whole fleet at each tick.
 */
export function firstAt(index: number, count: number, periodSeconds: number): number {
  return (index / Math.max(1, count)) * periodSeconds;
}

/** Counters of one action over one interval (or the whole run). */
export interface ActionCounts {
  sent: number;
  ok: number;
  /** Failures by kind: an HTTP status ("429"), "network", "timeout", or "bad-answer" (a 2xx that is wrong). */
  errors: Record<string, number>;
  /** A tick that found the installation's previous request of the action still unanswered. */
  skipped: number;
  latenciesMs: number[];
}

export const emptyCounts = (): ActionCounts => ({ sent: 0, ok: 0, errors: {}, skipped: 0, latenciesMs: [] });

export function errorCount(counts: ActionCounts): number {
  return Object.values(counts.errors).reduce((total, n) => total + n, 0);
}

/** Adds `from` into `into` (an interval into the run's totals); latencies are not kept for the run. */
export function addCounts(into: ActionCounts, from: ActionCounts): void {
  into.sent += from.sent;
  into.ok += from.ok;
  into.skipped += from.skipped;
  for (const [kind, n] of Object.entries(from.errors)) into.errors[kind] = (into.errors[kind] ?? 0) + n;
}

/** Nearest-rank percentile of unsorted samples, null when there are none. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (samples.length === 0) return null;
  const sorted = Float64Array.from(samples).sort();
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
}

export interface MemorySample {
  /** Seconds since the soak's load started. */
  seconds: number;
  /** workerd's resident set, summed over its processes. */
  rssBytes: number;
  /** Its anonymous part (heaps, malloc, SQLite page caches) and its mapped files. */
  anonBytes?: number;
  fileBytes?: number;
}

export interface HeapSample {
  seconds: number;
  /** Live JS heap per isolate right after a forced full collection in every isolate. */
  usedBytes: Record<string, number>;
  /** workerd's RSS read right after those collections. */
  rssAfterGcBytes: number;
}

/**
 * Growth of the last third's mean over the first third's mean (after the warm-up) allowed before the
 * memory is called not flat: the larger of MEMORY_TOLERANCE.ratio of the first third's mean and
 * MEMORY_TOLERANCE.floorBytes. Between two 5-s samples of a steady load, workerd's RSS moves by a
 * few MB (V8 grows and shrinks its heap around collections, SQLite's page caches fill); a leak of
 * half a kilobyte per request at the 500-installation load (83 req/s) adds about 16 MB between the
 * thirds' midpoints of a 10-minute run, so that much is caught while collection noise is not.
 */
export const MEMORY_TOLERANCE = { ratio: 0.05, floorBytes: 16 * 1024 * 1024 } as const;

/**
 * The same for our isolates' JS heap right after a forced full collection, the leak signal: steady
 * to about 0.1 MB between samples of a steady load (bench/soak-heap.ts), while a leak of 100 bytes
 * per request at 83 req/s adds about 3 MB between the thirds' midpoints of a 10-minute run.
 */
export const HEAP_TOLERANCE = { ratio: 0.05, floorBytes: 2 * 1024 * 1024 } as const;

/** One reading of a memory figure (RSS, or the heap after a collection), for a verdict. */
export interface SizeSample {
  seconds: number;
  bytes: number;
}
/** Below this many samples after the warm-up (two per third) there is no verdict. */
const MIN_VERDICT_SAMPLES = 6;

/**
 * The start of a run is not steady: the isolate compiles, caches and SQLite pages fill, and each
 * installation makes its first requests (the slowest action comes every 30 s). So the first 20 % of
 * the run, at least 30 s and at most 60 s, is left out of the verdict.
 */
export function warmupSeconds(runSeconds: number): number {
  return Math.min(60, Math.max(30, runSeconds * 0.2));
}

export interface MemoryVerdict {
  warmupSeconds: number;
  /** Samples after the warm-up, the ones the verdict uses. */
  samples: number;
  firstThirdMeanBytes: number | null;
  lastThirdMeanBytes: number | null;
  growthBytes: number | null;
  toleranceBytes: number | null;
  /** Least-squares slope over the samples after the warm-up, for reading; not part of the verdict. */
  slopeBytesPerMinute: number | null;
  /** null: too few samples to say. */
  flat: boolean | null;
}

const mean = (values: readonly number[]) => values.reduce((total, value) => total + value, 0) / values.length;

function slopePerSecond(samples: readonly SizeSample[]): number | null {
  if (samples.length < 2) return null;
  const meanT = mean(samples.map((sample) => sample.seconds));
  const meanY = mean(samples.map((sample) => sample.bytes));
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    covariance += (sample.seconds - meanT) * (sample.bytes - meanY);
    variance += (sample.seconds - meanT) ** 2;
  }
  return variance > 0 ? covariance / variance : null;
}

/** Did a memory figure stay flat? Compares the last third's mean with the first third's. */
export function memoryVerdict(
  samples: readonly SizeSample[],
  runSeconds: number,
  allowed: { ratio: number; floorBytes: number } = MEMORY_TOLERANCE,
): MemoryVerdict {
  const warmup = warmupSeconds(runSeconds);
  const steady = samples.filter((sample) => sample.seconds >= warmup);
  const slope = slopePerSecond(steady);
  const verdict: MemoryVerdict = {
    warmupSeconds: warmup,
    samples: steady.length,
    firstThirdMeanBytes: null,
    lastThirdMeanBytes: null,
    growthBytes: null,
    toleranceBytes: null,
    slopeBytesPerMinute: slope === null ? null : slope * 60,
    flat: null,
  };
  if (steady.length < MIN_VERDICT_SAMPLES) return verdict;
  const third = Math.floor(steady.length / 3);
  const first = mean(steady.slice(0, third).map((sample) => sample.bytes));
  const last = mean(steady.slice(-third).map((sample) => sample.bytes));
  const tolerance = Math.max(first * allowed.ratio, allowed.floorBytes);
  return {
    ...verdict,
    firstThirdMeanBytes: first,
    lastThirdMeanBytes: last,
    growthBytes: last - first,
    toleranceBytes: tolerance,
    flat: last - first <= tolerance,
  };
}

const MB = 1e6;
export const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** `what`: the figure judged, e.g. "workerd RSS". */
export function formatVerdict(verdict: MemoryVerdict, what: string): string {
  if (verdict.flat === null) {
    return `${what}: no verdict, ${verdict.samples} samples after the ${verdict.warmupSeconds.toFixed(0)} s warm-up (needs ${MIN_VERDICT_SAMPLES}; run longer)`;
  }
  const { firstThirdMeanBytes: first, lastThirdMeanBytes: last, growthBytes: growth } = verdict;
  const slope =
    verdict.slopeBytesPerMinute === null ? "" : `, trend ${megabytes(verdict.slopeBytesPerMinute)}/min`;
  return [
    `${what} ${verdict.flat ? "FLAT" : "GREW"}: mean of the last third ${megabytes(last ?? 0)} vs the first third ${megabytes(first ?? 0)}`,
    `(${growth !== null && growth >= 0 ? "+" : ""}${megabytes(growth ?? 0)}, tolerance ${megabytes(verdict.toleranceBytes ?? 0)};`,
    `${verdict.samples} samples after a ${verdict.warmupSeconds.toFixed(0)} s warm-up${slope})`,
  ].join(" ");
}
