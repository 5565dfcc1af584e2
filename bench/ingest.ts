// End-to-end telemetry throughput: samples POSTed to /api/telemetry, through the real local
// `nexus-telemetry` queue, rolled up by workers/consumers into the company's tenant database. The
// clock stops when the roll-ups count every sample sent; the run fails if they count more or less.
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import * as profiler from "./profile.ts";
import type { SeedContext } from "./routes.ts";

export const INGEST = {
  machines: 20,
  batches: 300,
  samplesPerBatch: 1000,
  /** Requests in flight at once (the installations take turns, each within its rate limit). */
  concurrency: 4,
  timeoutSeconds: 180,
} as const;

/**
 * `--profile`: CPU-profile each named worker (the API, and workers/consumers, which runs in its own
 * isolate in the same Miniflare) from the first request until every sample is counted.
 */
export interface IngestProfiling {
  inspectorPort: number;
  /** `config.name` of each worker and its bundle (whose `// path` comments name the modules). */
  workers: { name: string; bundle: string }[];
  /** Where `ingest-<worker>.cpuprofile` files are written. */
  outDir: string;
}

/** Starts a profile of every worker; the returned function stops them and prints the breakdowns. */
async function profileWorkers(
  profiling: IngestProfiling,
  log: (line: string) => void,
): Promise<(requests: number) => Promise<void>> {
  const running = await Promise.all(
    profiling.workers.map(async (worker) => {
      const session = await profiler.InspectorSession.open(profiling.inspectorPort, worker.name);
      return { worker, session, stop: await profiler.startProfile(session) };
    }),
  );
  return async (requests) => {
    for (const { worker, session, stop } of running) {
      const profile = await stop();
      session.close();
      profiler.writeProfile(join(profiling.outDir, `ingest-${worker.name}.cpuprofile`), profile);
      log(
        profiler.formatBreakdown(
          `ingest ${worker.name}`,
          profiler.breakdown(profile, profiler.bundleModuleMap(worker.bundle)),
          requests,
        ),
      );
    }
  };
}

export interface IngestResult {
  samples: number;
  counted: number;
  httpSeconds: number;
  endToEndSeconds: number;
  httpSamplesPerSecond: number;
  endToEndSamplesPerSecond: number;
  requestsPerSecond: number;
}

async function api<T>(url: URL, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(new URL(path, url), {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Samples rolled up so far, read straight from the company's tenant database. */
async function countedSamples(mf: Miniflare, companyId: string): Promise<number> {
  const central = await mf.getD1Database("CENTRAL_DB");
  const row = await central
    .prepare("SELECT binding_name FROM company_databases WHERE company_id = ?")
    .bind(companyId)
    .first<{ binding_name: string }>();
  if (!row) throw new Error(`company ${companyId} has no tenant database`);
  const tenant = await mf.getD1Database(row.binding_name);
  const total = await tenant
    .prepare("SELECT coalesce(sum(count), 0) AS n FROM telemetry_minute")
    .first<{ n: number }>();
  return total?.n ?? 0;
}

export async function measureIngest(
  mf: Miniflare,
  url: URL,
  context: SeedContext,
  log: (line: string) => void,
  profiling?: IngestProfiling,
): Promise<IngestResult> {
  const machines: string[] = [];
  for (let i = 0; i < INGEST.machines; i++) {
    const { machine } = await api<{ machine: { id: string } }>(
      url,
      `/api/admin/companies/${context.companyId}/machines`,
      context.adminSecret,
      { name: `Bench machine ${i + 1}` },
    );
    machines.push(machine.id);
  }
  const start = Date.now() - 3_600_000;
  const batchBody = (b: number) => ({
    batch_id: `bench-${b}-${start}`,
    samples: Array.from({ length: INGEST.samplesPerBatch }, (_, i) => {
      const n = b * INGEST.samplesPerBatch + i;
      return {
        machine_id: machines[n % machines.length],
        metric: n % 2 ? "temperature" : "vibration",
        value: n % 97,
        ts: start + n * 10,
      };
    }),
  });
  const bodies = Array.from({ length: INGEST.batches }, (_, b) => JSON.stringify(batchBody(b)));
  const samples = INGEST.batches * INGEST.samplesPerBatch;
  log(
    `ingest: ${INGEST.batches} batches of ${INGEST.samplesPerBatch} samples for ${INGEST.machines} machines, ${INGEST.concurrency} requests in flight`,
  );

  const stopProfiles = profiling ? await profileWorkers(profiling, log) : null;
  const began = performance.now();
  let next = 0;
  const sender = async (lane: number) => {
    for (let b = next++; b < bodies.length; b = next++) {
      const token =
        context.installations[(b + lane) % context.installations.length]?.token ?? context.installationToken;
      const response = await fetch(new URL("/api/telemetry", url), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: bodies[b],
      });
      const answer = (await response.json()) as { accepted?: { samples: number } };
      if (response.status !== 202 || answer.accepted?.samples !== INGEST.samplesPerBatch) {
        throw new Error(`batch ${b}: HTTP ${response.status} ${JSON.stringify(answer).slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: INGEST.concurrency }, (_, lane) => sender(lane)));
  const httpSeconds = (performance.now() - began) / 1000;

  const deadline = Date.now() + INGEST.timeoutSeconds * 1000;
  let counted = await countedSamples(mf, context.companyId);
  while (counted < samples && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    counted = await countedSamples(mf, context.companyId);
  }
  const endToEndSeconds = (performance.now() - began) / 1000;
  await stopProfiles?.(INGEST.batches);
  // Anything still in flight would show up now: counted must stay exactly at `samples`.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  counted = await countedSamples(mf, context.companyId);
  return {
    samples,
    counted,
    httpSeconds,
    endToEndSeconds,
    httpSamplesPerSecond: samples / httpSeconds,
    endToEndSamplesPerSecond: samples / endToEndSeconds,
    requestsPerSecond: INGEST.batches / httpSeconds,
  };
}

export function formatIngest(result: IngestResult, baselineReqPerSec: number): string {
  const round = (n: number) => Math.round(n).toLocaleString("en-US");
  return [
    "telemetry ingest, end to end (HTTP -> queue -> workers/consumers -> tenant D1 roll-ups):",
    `  samples sent ${round(result.samples)}, counted in roll-ups ${round(result.counted)}${result.counted === result.samples ? " (equal)" : " (MISMATCH)"}`,
    `  HTTP accepted: ${round(result.httpSamplesPerSecond)} samples/s (${result.requestsPerSecond.toFixed(1)} req/s of ${INGEST.samplesPerBatch} samples, ${(result.requestsPerSecond / baselineReqPerSec).toFixed(3)}x the baseline's req/s)`,
    `  rolled up:     ${round(result.endToEndSamplesPerSecond)} samples/s (all ${round(result.samples)} counted ${result.endToEndSeconds.toFixed(1)} s after the first request)`,
  ].join("\n");
}
