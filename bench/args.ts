import { parseArgs } from "node:util";
import { NOTIFY_BENCH } from "./notify.ts";
import { SEARCH_BENCH } from "./search.ts";

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
  /** Take a CPU profile of the API's isolate during each measured run (bench/profile.ts). */
  profile: boolean;
  /** Searchable entities generated for the `search` route and the indexing write measurement. */
  searchEntities: number;
  /** Live sockets (one user each) the `notify-fanout` route fans an in-app notification out to. */
  notifySockets: number;
  /** `--soak`: the soak run (bench/soak.ts) instead of the route table; null for the table. */
  soak: SoakOptions | null;
}

export interface SoakOptions {
  /** Simulated installations, each validated by the seed and then on its own schedule. */
  installations: number;
  minutes: number;
}

const usage = `Usage: pnpm bench [--duration S] [--warmup S] [--connections N] [--routes a,b]
       pnpm bench --soak [--installations N] [--minutes M]
  --duration     measured seconds per route (default 10, 1-120)
  --warmup       discarded warm-up seconds per route (default 2, 0-30)
  --connections  concurrent connections (default 10, 1-256)
  --routes       comma-separated route names (default: all in bench/routes.ts)
  --no-ingest    skip the end-to-end telemetry ingest measurement
  --search-entities  entities of the generated search tenant (default 100000, 1000-1000000;
                 bench/search.ts), for the search route and the indexing write amplification
  --sockets      live sockets of the notify-fanout route (default 1000, 1-5000; bench/notify.ts)
  --profile      CPU-profile the API during each measured run: prints self time per module and
                 writes bench/results/<route>.cpuprofile (for Chrome DevTools)
  --soak           instead of the table: N installations heartbeat, check for updates and send
                   telemetry at a steady rate for M minutes; prints errors and workerd's resident
                   memory at intervals and writes bench/results/soak.json
  --installations  soak installations (default 500, 1-5000)
  --minutes        soak minutes (default 10, 1-120)`;

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
      profile: { type: "boolean", default: false },
      "search-entities": { type: "string", default: String(SEARCH_BENCH.entities) },
      sockets: { type: "string", default: String(NOTIFY_BENCH.sockets) },
      soak: { type: "boolean", default: false },
      installations: { type: "string" },
      minutes: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  // A soak flag without --soak would silently run the table instead: refuse it.
  for (const name of ["installations", "minutes"] as const) {
    if (values[name] !== undefined && !values.soak) throw new Error(`--${name} needs --soak\n${usage}`);
  }
  return {
    // Upper bounds keep a mistyped flag from turning into an hour-long run.
    durationSeconds: bounded("duration", values.duration, 1, 120),
    warmupSeconds: bounded("warmup", values.warmup, 0, 30),
    connections: bounded("connections", values.connections, 1, 256),
    ingest: !values["no-ingest"],
    profile: values.profile,
    searchEntities: bounded("search-entities", values["search-entities"], 1000, 1_000_000),
    // One user and one socket each; 5000 sockets stay well inside the process's file descriptors.
    notifySockets: bounded("sockets", values.sockets, 1, 5000),
    // 5000 installations validate within a minute or two and stay under the seed's seat limit
    // (10,000); 120 minutes covers two token lifetimes (heartbeats renew them, as the apps do).
    soak: values.soak
      ? {
          installations: bounded("installations", values.installations ?? "500", 1, 5000),
          minutes: bounded("minutes", values.minutes ?? "10", 1, 120),
        }
      : null,
    routes: values.routes
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name.length > 0),
  };
}
