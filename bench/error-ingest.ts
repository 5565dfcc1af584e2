// End-to-end error ingest throughput: Sentry envelopes (an event and a session update each) POSTed to
// /api/{projectId}/envelope/, through the real local `nexus-errors` queue, grouped by
// workers/consumers into the company's tenant database. The clock stops when error_events holds
// every event sent; the run fails if it holds more or fewer.
import type { Miniflare } from "miniflare";
import { errorEnvelope, type SeedContext, sentryHeaders } from "./routes.ts";

export const ERROR_INGEST = {
  envelopes: 2000,
  /** Requests in flight at once, as a fleet's SDKs send them: one envelope per request. */
  concurrency: 8,
  timeoutSeconds: 180,
} as const;

export interface ErrorIngestResult {
  envelopes: number;
  stored: number;
  httpSeconds: number;
  endToEndSeconds: number;
  httpEnvelopesPerSecond: number;
  endToEndEnvelopesPerSecond: number;
}

/** Events stored so far for the bench's project, read straight from the company's tenant database. */
async function storedEvents(mf: Miniflare, companyId: string, projectId: number): Promise<number> {
  const central = await mf.getD1Database("CENTRAL_DB");
  const row = await central
    .prepare("SELECT binding_name FROM company_databases WHERE company_id = ?")
    .bind(companyId)
    .first<{ binding_name: string }>();
  if (!row) return 0;
  const tenant = await mf.getD1Database(row.binding_name);
  const total = await tenant
    .prepare("SELECT count(*) AS n FROM error_events WHERE project_id = ?")
    .bind(projectId)
    .first<{ n: number }>();
  return total?.n ?? 0;
}

export async function measureErrorIngest(
  mf: Miniflare,
  url: URL,
  context: SeedContext,
  log: (line: string) => void,
): Promise<ErrorIngestResult> {
  const { projectId, publicKey } = context.errors;
  const before = await storedEvents(mf, context.companyId, projectId);
  // Unique event ids: the consumer keeps a resent event once.
  const bodies = Array.from({ length: ERROR_INGEST.envelopes }, () =>
    errorEnvelope(crypto.randomUUID().replace(/-/g, ""), "bench-e2e@1.0.0"),
  );
  log(`error ingest: ${ERROR_INGEST.envelopes} envelopes, ${ERROR_INGEST.concurrency} requests in flight`);
  const endpoint = new URL(`/api/${projectId}/envelope/`, url);
  const began = performance.now();
  let next = 0;
  const sender = async () => {
    for (let i = next++; i < bodies.length; i = next++) {
      const response = await fetch(endpoint, {
        method: "POST",
        headers: sentryHeaders(publicKey),
        body: bodies[i],
      });
      const text = await response.text();
      if (response.status !== 200)
        throw new Error(`envelope ${i}: HTTP ${response.status} ${text.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: ERROR_INGEST.concurrency }, () => sender()));
  const httpSeconds = (performance.now() - began) / 1000;
  const deadline = Date.now() + ERROR_INGEST.timeoutSeconds * 1000;
  const target = before + ERROR_INGEST.envelopes;
  let stored = await storedEvents(mf, context.companyId, projectId);
  while (stored < target && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    stored = await storedEvents(mf, context.companyId, projectId);
  }
  const endToEndSeconds = (performance.now() - began) / 1000;
  // Anything still in flight would show up now: stored must stay exactly at the envelopes sent.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  stored = (await storedEvents(mf, context.companyId, projectId)) - before;
  return {
    envelopes: ERROR_INGEST.envelopes,
    stored,
    httpSeconds,
    endToEndSeconds,
    httpEnvelopesPerSecond: ERROR_INGEST.envelopes / httpSeconds,
    endToEndEnvelopesPerSecond: ERROR_INGEST.envelopes / endToEndSeconds,
  };
}

export function formatErrorIngest(result: ErrorIngestResult, baselineReqPerSec: number): string {
  const round = (n: number) => Math.round(n).toLocaleString("en-US");
  return [
    "error ingest, end to end (Sentry envelopes -> queue -> workers/consumers -> tenant D1 issues and events):",
    `  envelopes sent ${round(result.envelopes)}, events stored ${round(result.stored)}${result.stored === result.envelopes ? " (equal)" : " (MISMATCH)"}`,
    `  HTTP accepted: ${round(result.httpEnvelopesPerSecond)} envelopes/s (${(result.httpEnvelopesPerSecond / baselineReqPerSec).toFixed(3)}x the baseline's req/s)`,
    `  processed:     ${round(result.endToEndEnvelopesPerSecond)} envelopes/s (all stored ${result.endToEndSeconds.toFixed(1)} s after the first request, ${(result.endToEndEnvelopesPerSecond / baselineReqPerSec).toFixed(3)}x the baseline's req/s)`,
  ].join("\n");
}
