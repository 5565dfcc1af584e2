// Turns load results into the printed table and bench/results/latest.json. Numbers are for
// reading, never asserted: absolute values depend on the machine, ratios to the baseline less so.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, totalmem } from "node:os";
import { dirname } from "node:path";
import type { BenchOptions } from "./args.ts";
import type { LoadResult } from "./load-client.ts";
import type { BenchRoute } from "./routes.ts";

/** Above this share of failed requests a route's numbers describe its errors, not its speed. */
const MAX_FAILURE_RATE = 0.01;

export interface Measured {
  route: BenchRoute;
  result: LoadResult;
}

export interface ReportRow {
  route: string;
  description: string;
  reqPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  non2xx: number;
  errors: number;
  failureRate: number;
  failed: boolean;
  /** route req/s ÷ baseline req/s: 0.25 means a quarter of the no-op's throughput. */
  reqPerSecRatio: number | null;
  /** route p50 ÷ baseline p50: 4 means four times the no-op's median latency. */
  p50Ratio: number | null;
  p99Ratio: number | null;
  result: LoadResult;
}

function ratio(value: number | null | undefined, base: number | null | undefined): number | null {
  if (value == null || base == null || base <= 0) return null;
  return value / base;
}

export function buildRows(baseline: Measured, routes: readonly Measured[]): ReportRow[] {
  const rowOf = ({ route, result }: Measured): ReportRow => {
    const attempts = result.responses + result.errors;
    const failureRate = attempts === 0 ? 1 : (result.non2xx + result.errors) / attempts;
    return {
      route: route.name,
      description: route.description,
      reqPerSec: result.okPerSecond,
      p50Ms: result.latencyMs?.p50 ?? null,
      p99Ms: result.latencyMs?.p99 ?? null,
      non2xx: result.non2xx,
      errors: result.errors,
      failureRate,
      failed: failureRate > MAX_FAILURE_RATE,
      reqPerSecRatio: null,
      p50Ratio: null,
      p99Ratio: null,
      result,
    };
  };
  const base = rowOf(baseline);
  const rows = [base, ...routes.map(rowOf)];
  // A failed route's ratios, and all ratios when the baseline failed, would compare errors:
  // they are left out rather than shown.
  if (!base.failed) {
    for (const row of rows.filter((candidate) => !candidate.failed)) {
      row.reqPerSecRatio = ratio(row.reqPerSec, base.reqPerSec);
      row.p50Ratio = ratio(row.p50Ms, base.p50Ms);
      row.p99Ratio = ratio(row.p99Ms, base.p99Ms);
    }
  }
  return rows;
}

const fixed = (value: number | null, digits: number, suffix = "") =>
  value == null ? "n/a" : `${value.toFixed(digits)}${suffix}`;

export function formatTable(rows: readonly ReportRow[]): string {
  const header = ["route", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "req/s vs base", "p50 vs base"];
  const body = rows.map((row) => [
    row.failed ? `${row.route} FAILED` : row.route,
    fixed(row.reqPerSec, 0),
    fixed(row.p50Ms, 2),
    fixed(row.p99Ms, 2),
    String(row.non2xx),
    String(row.errors),
    fixed(row.reqPerSecRatio, 2, "x"),
    fixed(row.p50Ratio, 2, "x"),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => cells[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join("  ");
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...body.map(line)].join("\n");
}

/** Loud, because a failing route answers fast and would otherwise read as a fast route. */
export function formatFailures(rows: readonly ReportRow[]): string | null {
  const failed = rows.filter((row) => row.failed);
  if (failed.length === 0) return null;
  const lines = failed.map(
    (row) =>
      `  ${row.route}: ${(row.failureRate * 100).toFixed(1)}% failed, status codes ${JSON.stringify(row.result.statusCodes)}, ${row.errors} connection errors`,
  );
  return [
    "!!! FAILED ROUTES: their numbers measure errors, not the route. Fix them before comparing. !!!",
    ...lines,
  ].join("\n");
}

function git(root: string, args: string[]): string | null {
  try {
    return execFileSync("git", args, {
      cwd: root,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 5000,
    }).trim();
  } catch {
    return null;
  }
}

export function machineInfo() {
  const cpuList = cpus();
  return {
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? "unknown",
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    // Other work on the machine skews every number; the load average at the end hints at it.
    loadAverage1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    platform: platform(),
    arch: arch(),
    node: process.version,
  };
}

export function formatMachine(machine: ReturnType<typeof machineInfo>): string {
  return `${machine.cpus} CPUs (${machine.cpuModel}), load average ${machine.loadAverage1m}, node ${machine.node}; workerd and the load generator share these CPUs`;
}

export function writeReport(
  file: string,
  root: string,
  options: BenchOptions,
  machine: ReturnType<typeof machineInfo>,
  rows: readonly ReportRow[],
  /** Run settings and figures beyond the table (var overrides, seed, D1 accounting). */
  extra: object = {},
): void {
  writeRunFile(file, root, options, machine, { ...extra, rows });
}

/** A run's JSON file: date, machine, git commit and options, then `figures`. */
export function writeRunFile(
  file: string,
  root: string,
  options: BenchOptions,
  machine: ReturnType<typeof machineInfo>,
  figures: object,
): void {
  const status = git(root, ["--no-optional-locks", "status", "--porcelain", "--untracked-files=no"]);
  const report = {
    date: new Date().toISOString(),
    machine,
    // Read-only git queries; --no-optional-locks keeps `status` from touching the index.
    git: { commit: git(root, ["rev-parse", "HEAD"]), dirty: status === null ? null : status.length > 0 },
    options,
    ...figures,
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** A route's MB/s beside its floor's (e.g. the artifact range through the API vs a raw R2 read). */
export interface ByteThroughput {
  route: string;
  against: string;
  routeMBps: number;
  againstMBps: number;
  /** route MB/s ÷ floor MB/s; null when either failed. */
  ratio: number | null;
}

const MB = 1e6;

export function byteThroughputs(rows: readonly ReportRow[], pairs: readonly Measured[]): ByteThroughput[] {
  return pairs.flatMap(({ route }) => {
    const row = rows.find((candidate) => candidate.route === route.name);
    const floor = rows.find((candidate) => candidate.route === route.bytesComparedWith);
    if (!row || !floor) return [];
    const routeMBps = row.result.okBytesPerSecond / MB;
    const againstMBps = floor.result.okBytesPerSecond / MB;
    return [
      {
        route: row.route,
        against: floor.route,
        routeMBps,
        againstMBps,
        ratio: row.failed || floor.failed ? null : ratio(routeMBps, againstMBps),
      },
    ];
  });
}

export function formatByteThroughputs(entries: readonly ByteThroughput[]): string {
  return entries
    .map(
      (entry) =>
        `bytes: ${entry.route} ${entry.routeMBps.toFixed(1)} MB/s vs ${entry.against} ${entry.againstMBps.toFixed(1)} MB/s: ${fixed(entry.ratio, 2, "x")}`,
    )
    .join("\n");
}

/** A route against the route it is compared with (`comparedWith`), both measured in the same run. */
export interface Comparison {
  route: string;
  against: string;
  reqPerSec: number;
  againstReqPerSec: number;
  p50Ms: number | null;
  againstP50Ms: number | null;
  p99Ms: number | null;
  againstP99Ms: number | null;
  /** route ÷ the other route; all null when either failed. */
  reqPerSecRatio: number | null;
  p50Ratio: number | null;
  p99Ratio: number | null;
  /** route p50 − the other's p50: the latency the route adds to a call, in ms. */
  p50AddedMs: number | null;
}

export function comparisons(rows: readonly ReportRow[], measured: readonly Measured[]): Comparison[] {
  return measured.flatMap(({ route }) => {
    const row = rows.find((candidate) => candidate.route === route.name);
    const other = rows.find((candidate) => candidate.route === route.comparedWith);
    if (!row || !other) return [];
    const valid = !row.failed && !other.failed;
    const ratioOf = (value: number | null, base: number | null) => (valid ? ratio(value, base) : null);
    return [
      {
        route: row.route,
        against: other.route,
        reqPerSec: row.reqPerSec,
        againstReqPerSec: other.reqPerSec,
        p50Ms: row.p50Ms,
        againstP50Ms: other.p50Ms,
        p99Ms: row.p99Ms,
        againstP99Ms: other.p99Ms,
        reqPerSecRatio: ratioOf(row.reqPerSec, other.reqPerSec),
        p50Ratio: ratioOf(row.p50Ms, other.p50Ms),
        p99Ratio: ratioOf(row.p99Ms, other.p99Ms),
        p50AddedMs: valid && row.p50Ms != null && other.p50Ms != null ? row.p50Ms - other.p50Ms : null,
      },
    ];
  });
}

export function formatComparisons(entries: readonly Comparison[]): string {
  return entries
    .map((entry) =>
      [
        `vs ${entry.against}: ${entry.route} ${fixed(entry.reqPerSec, 0)} req/s vs ${fixed(entry.againstReqPerSec, 0)}: ${fixed(entry.reqPerSecRatio, 2, "x")}`,
        `p50 ${fixed(entry.p50Ms, 2)} ms vs ${fixed(entry.againstP50Ms, 2)} ms: ${fixed(entry.p50Ratio, 2, "x")} (${entry.p50AddedMs == null ? "n/a" : `${entry.p50AddedMs >= 0 ? "+" : ""}${entry.p50AddedMs.toFixed(2)} ms`})`,
        `p99 ${fixed(entry.p99Ms, 2)} ms vs ${fixed(entry.againstP99Ms, 2)} ms: ${fixed(entry.p99Ratio, 2, "x")}`,
      ].join("; "),
    )
    .join("\n");
}
