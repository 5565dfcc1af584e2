// What the ingest's tests share: error projects written straight into the central D1 (the DSN
// routes are tested on their own), envelopes built as Sentry SDKs build them, and a way to post
// one and see what reached the errors queue.
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { ErrorsQueueMessage } from "@nexus/contracts";
import { errorIngestStats, errorProjects } from "@nexus/db/central";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { BASE_URL } from "../../../test/helpers.ts";
import { watchedQueue } from "../../../test/watched-queue.ts";
import worker from "../../index.ts";

export interface TestErrorProject {
  id: number;
  companyId: string;
  publicKey: string;
  dsn: string;
}

const hex = (bytes: number) =>
  [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * A project row with a random id: the ingest caches projects per isolate for seconds, and the tests'
 * databases are emptied between tests, so reused autoincrement ids would meet a stale cached row.
 */
export async function createErrorProject(
  companyId: string,
  options: { app?: "desktop" | "mobile" | "other"; revoked?: boolean } = {},
): Promise<TestErrorProject> {
  const id = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
  const publicKey = hex(16);
  await drizzle(env.CENTRAL_DB)
    .insert(errorProjects)
    .values({
      id,
      companyId,
      name: `App ${id}`,
      app: options.app ?? "desktop",
      platform: "node",
      publicKey,
      revokedAt: options.revoked ? new Date("2026-01-02T00:00:00Z") : null,
    });
  return { id, companyId, publicKey, dsn: `http://${publicKey}@nexus.test/${id}` };
}

export async function ingestStats(projectId: number) {
  return drizzle(env.CENTRAL_DB)
    .select()
    .from(errorIngestStats)
    .where(eq(errorIngestStats.projectId, projectId));
}

export const sentryAuth = (key: string) => ({
  "x-sentry-auth": `Sentry sentry_key=${key}, sentry_version=7, sentry_client=sentry.javascript.node/11.12.0`,
});

/** An envelope as the SDKs write it: header line, then each item's header and payload; `length` when asked. */
export function envelope(
  header: Record<string, unknown>,
  items: { type: string; payload: unknown; withLength?: boolean; extra?: Record<string, unknown> }[],
): string {
  const encoder = new TextEncoder();
  const lines = [JSON.stringify(header)];
  for (const item of items) {
    const payload = typeof item.payload === "string" ? item.payload : JSON.stringify(item.payload);
    const length = item.withLength === false ? {} : { length: encoder.encode(payload).byteLength };
    lines.push(JSON.stringify({ type: item.type, ...length, ...item.extra }), payload);
  }
  return `${lines.join("\n")}\n`;
}

export async function gzip(
  body: string | Uint8Array,
  format: "gzip" | "deflate" = "gzip",
): Promise<Uint8Array> {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function gunzip(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).text();
}

export const uuidHex = () => crypto.randomUUID().replace(/-/g, "");

/** A Sentry event as @sentry/node sends one for a thrown Error. */
export function sentryEvent(overrides: Record<string, unknown> = {}) {
  return {
    event_id: uuidHex(),
    timestamp: Date.now() / 1000,
    platform: "node",
    level: "error",
    release: "nexus-desktop@1.4.2",
    environment: "production",
    exception: {
      values: [
        {
          type: "TypeError",
          value: "Cannot read properties of undefined (reading 'id')",
          mechanism: { type: "onuncaughtexception", handled: false },
          stacktrace: {
            frames: [
              { filename: "node:internal/main", function: "run", lineno: 1, colno: 1, in_app: false },
              { filename: "app:///main.js", function: "loadOrders", lineno: 42, colno: 17, in_app: true },
            ],
          },
        },
      ],
    },
    breadcrumbs: [{ timestamp: Date.now() / 1000, category: "console", message: "starting", level: "info" }],
    tags: { os: "windows", build: 1234, beta: true },
    user: { id: "u-1", ip_address: "{{auto}}" },
    sdk: { name: "sentry.javascript.node", version: "11.12.0" },
    ...overrides,
  };
}

/** Posts to the ingest with the run's bindings, the errors queue watched; answers what it queued too. */
export async function postIngest(
  path: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {},
  method = "POST",
): Promise<{ response: Response; queued: ErrorsQueueMessage[] }> {
  const { queue, sent } = watchedQueue(env.ERRORS_QUEUE);
  const ctx = createExecutionContext();
  const request = new Request(`${BASE_URL}${path}`, {
    method,
    headers: { "content-type": "application/x-sentry-envelope", ...headers },
    ...(method === "POST" ? { body } : {}),
  });
  const response = await worker.fetch(request, { ...env, ERRORS_QUEUE: queue }, ctx);
  await waitOnExecutionContext(ctx);
  return { response, queued: sent as ErrorsQueueMessage[] };
}
