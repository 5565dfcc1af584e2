import { parseArgs } from "node:util";

export interface BenchOptions {
  /** Measured seconds per route. */
  durationSeconds: number;
  /** Seconds of load before each measurement, discarded (JIT, caches, first D1 pages). */
  warmupSeconds: number;
  connections: number;
  /** Route names to measure beside the baseline; empty means all. */
  routes: string[];
  /** Also measure end-to-end telemetry ingest (HTTP -> queue -> roll-ups). */
  ingest: boolean;
}

const usage = `Usage: pnpm bench [--duration S] [--warmup S] [--connections N] [--routes a,b]
  --duration     measured seconds per route (default 10, 1-120)
  --warmup       discarded warm-up seconds per route (default 2, 0-30)
  --connections  concurrent connections (default 10, 1-256)
  --routes       comma-separated route names (default: all in bench/routes.ts)
  --no-ingest    skip the end-to-end telemetry ingest measurement`;

function bounded(name: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${raw}"\n${usage}`);
  }
  return value;
}

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: "string", default: "10" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "10" },
      routes: { type: "string", default: "" },
      "no-ingest": { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return {
    // Upper bounds keep a mistyped flag from turning into an hour-long run.
    durationSeconds: bounded("duration", values.duration, 1, 120),
    warmupSeconds: bounded("warmup", values.warmup, 0, 30),
    connections: bounded("connections", values.connections, 1, 256),
    ingest: !values["no-ingest"],
    routes: values.routes
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name.length > 0),
  };
}
