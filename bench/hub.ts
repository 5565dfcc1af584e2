// D1 accounting for routes served by the company's CompanyHub (heartbeats): the hub's own counters,
// read over the operator API before and after the measured run, once its pending flush is written.
import type { HubStats } from "../packages/contracts/src/live/schemas.ts";
import type { ReportRow } from "./report.ts";
import { fetchHubStats } from "./seed.ts";

/** Informational targets, printed PASS/MISS; they never fail the run. */
export const TARGETS = {
  /** Heartbeat req/s at least half the no-op baseline's. */
  minReqPerSecRatio: 0.5,
  /** At most one D1 write statement per 100 heartbeats. */
  maxD1WritesPerHeartbeat: 0.01,
} as const;

export type Counters = Pick<HubStats, "heartbeats" | "d1_writes" | "d1_reads" | "flushes" | "pending_flush">;

export interface SettledStats {
  stats: Counters;
  /**
   * False when polling gave up: pending_flush was still above 0, or heartbeats arrived since the
   * reference read and no flush followed them.
   */
  drained: boolean;
  waitedSeconds: number;
}

export interface D1Accounting {
  route: string;
  flushSeconds: number;
  before: Counters;
  after: Counters;
  drained: boolean;
  /** Seconds waited after the measured run for the hub to flush what was pending. */
  drainSeconds: number;
  heartbeats: number;
  d1Writes: number;
  d1Reads: number;
  flushes: number;
  /**
   * Flushes the interval allows in the measured run (one per flushSeconds). Far fewer observed
   * means the hub's alarm did not keep its cadence under load, which flatters writes per heartbeat.
   */
  expectedFlushes: number;
  cadenceKept: boolean;
  d1WritesPerHeartbeat: number | null;
  d1ReadsPerHeartbeat: number | null;
  targets: {
    reqPerSecRatio: { value: number | null; min: number; pass: boolean };
    d1WritesPerHeartbeat: { value: number | null; max: number; pass: boolean };
  };
}

const counters = ({ heartbeats, d1_writes, d1_reads, flushes, pending_flush }: HubStats): Counters => ({
  heartbeats,
  d1_writes,
  d1_reads,
  flushes,
  pending_flush,
});

/**
 * Settled: nothing waits for a flush, and if heartbeats arrived since `since`, a flush came after
 * them. The second half keeps a hub whose pending_flush does not (yet) count a heartbeat, e.g. one
 * held in memory, from reading as settled before D1 has seen it.
 */
const settled = (stats: Counters, since: Counters | undefined) =>
  stats.pending_flush === 0 &&
  (since === undefined || stats.heartbeats === since.heartbeats || stats.flushes > since.flushes);

/** Polls the hub's stats (bounded) until it has settled (see `settled`). */
export async function settledHubStats(
  baseUrl: URL,
  adminSecret: string,
  companyId: string,
  timeoutSeconds: number,
  since?: Counters,
): Promise<SettledStats> {
  const started = Date.now();
  const deadline = started + timeoutSeconds * 1000;
  for (;;) {
    const stats = counters(await fetchHubStats(baseUrl, adminSecret, companyId));
    const waitedSeconds = (Date.now() - started) / 1000;
    if (settled(stats, since)) return { stats, drained: true, waitedSeconds };
    if (Date.now() >= deadline) return { stats, drained: false, waitedSeconds };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function d1Accounting(
  route: string,
  flushSeconds: number,
  before: Counters,
  after: SettledStats,
  measuredSeconds: number,
): Omit<D1Accounting, "targets"> {
  const flushes = after.stats.flushes - before.flushes;
  const expectedFlushes = Math.floor(measuredSeconds / flushSeconds);
  const heartbeats = after.stats.heartbeats - before.heartbeats;
  const d1Writes = after.stats.d1_writes - before.d1_writes;
  const d1Reads = after.stats.d1_reads - before.d1_reads;
  return {
    route,
    flushSeconds,
    before,
    after: after.stats,
    drained: after.drained,
    drainSeconds: after.waitedSeconds,
    heartbeats,
    d1Writes,
    d1Reads,
    flushes,
    expectedFlushes,
    cadenceKept: flushes >= expectedFlushes / 2,
    d1WritesPerHeartbeat: heartbeats > 0 ? d1Writes / heartbeats : null,
    d1ReadsPerHeartbeat: heartbeats > 0 ? d1Reads / heartbeats : null,
  };
}

/** Adds the PASS/MISS checks, which need the route's req/s ratio from the table. */
export function withTargets(
  accounting: Omit<D1Accounting, "targets">,
  rows: readonly ReportRow[],
): D1Accounting {
  const ratio = rows.find((row) => row.route === accounting.route)?.reqPerSecRatio ?? null;
  const perHeartbeat = accounting.drained ? accounting.d1WritesPerHeartbeat : null;
  return {
    ...accounting,
    targets: {
      reqPerSecRatio: {
        value: ratio,
        min: TARGETS.minReqPerSecRatio,
        pass: ratio !== null && ratio >= TARGETS.minReqPerSecRatio,
      },
      d1WritesPerHeartbeat: {
        value: perHeartbeat,
        max: TARGETS.maxD1WritesPerHeartbeat,
        pass: perHeartbeat !== null && perHeartbeat <= TARGETS.maxD1WritesPerHeartbeat,
      },
    },
  };
}

const verdict = (pass: boolean) => (pass ? "PASS" : "MISS");
const num = (value: number | null, digits: number) => (value === null ? "n/a" : value.toFixed(digits));

export function formatD1(accountings: readonly D1Accounting[], rows: readonly ReportRow[]): string {
  const lines: string[] = [];
  for (const a of accountings) {
    // The hub's count and the load generator's 2xx count should agree; a gap means other traffic.
    const ok = rows.find((row) => row.route === a.route)?.result.ok;
    const { reqPerSecRatio: speed, d1WritesPerHeartbeat: writes } = a.targets;
    lines.push(
      `D1 ${a.route}: ${a.heartbeats} heartbeats (load generator 2xx: ${ok ?? "n/a"}), ${a.d1Writes} D1 writes in ${a.flushes} flushes, ${a.d1Reads} D1 reads` +
        ` (flush every ${a.flushSeconds}s; measured run only; read once pending_flush was 0 after a flush, ${a.drainSeconds.toFixed(1)}s after the load)`,
      `  D1 writes per heartbeat ${num(a.d1WritesPerHeartbeat, 5)}, D1 reads per heartbeat ${num(a.d1ReadsPerHeartbeat, 5)}`,
      `  target req/s >= ${speed.min.toFixed(2)}x baseline: ${num(speed.value, 2)}x ${verdict(speed.pass)}`,
      `  target <= 1 D1 write per 100 heartbeats: ${num(writes.value, 5)} per heartbeat ${verdict(writes.pass)}`,
    );
    if (!a.cadenceKept) {
      lines.push(
        `  !!! only ${a.flushes} flushes where one per ${a.flushSeconds}s allows ${a.expectedFlushes}: the hub's alarm fell behind under load (D1 lagged; writes per heartbeat flattered)`,
      );
    }
    if (!a.drained) {
      const why =
        a.after.pending_flush > 0
          ? `pending_flush still ${a.after.pending_flush}`
          : `${a.heartbeats} heartbeats and ${a.flushes} flushes`;
      lines.push(
        `  !!! ${why} after waiting ${a.drainSeconds.toFixed(1)}s: the hub did not flush the measured heartbeats to D1; D1 figures incomplete (run counts as broken)`,
      );
    }
  }
  return lines.join("\n");
}
