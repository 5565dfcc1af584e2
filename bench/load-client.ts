// Parent side of the load generator. The load runs in a second process (bench/load.ts) so the
// generator's own event loop never competes with the parent's bookkeeping, and so a hung
// generator can be killed without taking the run down.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { BenchRoute } from "./routes.ts";

export interface LoadSpec {
  url: string;
  method: BenchRoute["method"];
  headers: Record<string, string>;
  body?: string;
  /** Successive requests take these in turn, each merged over `headers` and replacing `body`. */
  variants?: LoadVariant[];
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface LoadVariant {
  headers: Record<string, string>;
  body?: string;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export interface LoadResult {
  /** Measured seconds, warm-up excluded. */
  durationSeconds: number;
  responses: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts: requests that got no response at all. */
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** 2xx responses per second: failures never count as throughput. */
  okPerSecond: number;
  /** Bytes of 2xx responses (headers included) per second, as read off the socket. */
  okBytesPerSecond: number;
  /** Of 2xx responses only, in ms at sub-ms precision; null when there were none. */
  latencyMs: LatencySummary | null;
}

const loadScript = fileURLToPath(new URL("./load.ts", import.meta.url));
let active: ChildProcess | undefined;

/** Kills the running load generator, if any (cleanup on Ctrl-C or time budget). */
export function stopActiveLoad(): void {
  if (active && active.exitCode === null) active.kill("SIGKILL");
}

function isLoadResult(value: unknown): value is LoadResult {
  return typeof value === "object" && value !== null && "okPerSecond" in value && "statusCodes" in value;
}

export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loadScript, JSON.stringify(spec)], {
      stdio: ["ignore", "pipe", "inherit"],
      // The child has its own deadline; this one catches a child that cannot even keep that.
      timeout: (spec.warmupSeconds + spec.durationSeconds + 30) * 1000,
      killSignal: "SIGKILL",
    });
    active = child;
    let stdout = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      active = undefined;
      if (code !== 0) {
        reject(new Error(`load generator exited with ${signal ?? `code ${code}`}`));
        return;
      }
      const lastLine = stdout.trim().split("\n").at(-1) ?? "";
      try {
        const parsed: unknown = JSON.parse(lastLine);
        if (!isLoadResult(parsed)) throw new Error("unexpected shape");
        resolve(parsed);
      } catch (error) {
        reject(new Error(`load generator printed no result (${String(error)}): ${stdout.slice(-500)}`));
      }
    });
  });
}
