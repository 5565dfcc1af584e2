// The load generator, run as its own process by load-client.ts:
//   node bench/load.ts '<LoadSpec as JSON>'
// Runs autocannon against 127.0.0.1 (warm-up first, discarded) and prints one LoadResult as JSON.
import autocannon from "autocannon";
import type { LatencySummary, LoadResult, LoadSpec, LoadVariant } from "./load-client.ts";

function parseSpec(raw: string | undefined): LoadSpec {
  const spec: unknown = JSON.parse(raw ?? "null");
  if (typeof spec !== "object" || spec === null || !("url" in spec) || typeof spec.url !== "string") {
    throw new Error("usage: node bench/load.ts '<LoadSpec JSON>'");
  }
  const url = new URL(spec.url);
  // Load only ever goes to this machine's loopback.
  if (url.hostname !== "127.0.0.1") throw new Error(`refusing to load ${url.origin}: not 127.0.0.1`);
  return spec as LoadSpec;
}

function runOnce(
  options: autocannon.Options,
  onOkLatency?: (ms: number) => void,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error: unknown, result: autocannon.Result) => {
      if (error) reject(error);
      else resolve(result);
    });
    if (onOkLatency) {
      instance.on("response", (_client, statusCode, _bytes, responseTime) => {
        if (statusCode >= 200 && statusCode < 300) onOkLatency(responseTime);
      });
    }
  });
}

/**
 * One request template whose setupRequest hands out the variants in turn, across all connections,
 * so a rotating route spreads evenly over them.
 */
function rotating(variants: readonly LoadVariant[]): autocannon.Request[] {
  let next = 0;
  return [
    {
      setupRequest: (request) => {
        const variant = variants[next % variants.length];
        next++;
        if (!variant) return request;
        return {
          ...request,
          headers: { ...request.headers, ...variant.headers },
          ...(variant.body === undefined ? {} : { body: variant.body }),
        };
      },
    },
  ];
}

/** Nearest-rank percentile; autocannon's own histogram rounds to whole ms, too coarse here. */
function summarize(samples: number[]): LatencySummary | null {
  if (samples.length === 0) return null;
  const sorted = Float64Array.from(samples).sort();
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
  const sum = sorted.reduce((total, value) => total + value, 0);
  return { p50: at(50), p99: at(99), mean: sum / sorted.length, max: at(100) };
}

async function main(): Promise<void> {
  const spec = parseSpec(process.argv[2]);
  // Whatever happens in autocannon, this process ends by itself.
  setTimeout(
    () => {
      console.error("load: deadline passed, exiting");
      process.exit(3);
    },
    (spec.warmupSeconds + spec.durationSeconds + 20) * 1000,
  ).unref();

  const options: autocannon.Options = {
    url: spec.url,
    method: spec.method,
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    timeout: 10,
    // Latency and throughput of failures would flatter a broken route; they are counted apart.
    excludeErrorStats: true,
    ...(spec.variants && spec.variants.length > 0 ? { requests: rotating(spec.variants) } : {}),
  };
  if (spec.warmupSeconds > 0) await runOnce({ ...options, duration: spec.warmupSeconds });

  const latencies: number[] = [];
  const result = await runOnce({ ...options, duration: spec.durationSeconds }, (ms) => latencies.push(ms));
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count ?? 0;
  const ok = result["2xx"];
  const responses = ok + result.non2xx;
  const output: LoadResult = {
    durationSeconds: result.duration,
    responses,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    okPerSecond: result.duration > 0 ? ok / result.duration : 0,
    // autocannon's total counts the raw bytes (status line, headers, body) of 2xx answers only,
    // because excludeErrorStats is set.
    okBytesPerSecond: result.duration > 0 ? result.throughput.total / result.duration : 0,
    latencyMs: summarize(latencies),
  };
  // Exit once the line is flushed: a lingering socket must not turn a finished run into a timeout.
  process.stdout.write(`${JSON.stringify(output)}\n`, () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(`load: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
