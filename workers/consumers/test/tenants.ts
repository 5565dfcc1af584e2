// Companies as the API leaves them after registration: a central row, its tenant database claimed
// (migrated and stamped), and machines in it. Written directly: this worker has no HTTP API.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { TelemetryQueueMessage } from "@nexus/contracts";
import { applyTenantMigrations, latestTenantSchemaVersion } from "@nexus/db";
import worker from "../src/index.ts";
import type { Aggregate } from "../src/telemetry/rollup.ts";

export interface TestCompany {
  id: string;
  db: D1Database;
  machines: string[];
}

let counter = 0;

export async function company(
  binding: "TENANT_DB_0001" | "TENANT_DB_0002",
  machineCount = 2,
): Promise<TestCompany> {
  counter += 1;
  const id = `company-${counter}-${binding.slice(-1)}`;
  const db = env[binding];
  await env.CENTRAL_DB.batch([
    env.CENTRAL_DB.prepare(
      "INSERT INTO companies (id, company_code, company_name, admin_email, updated_at) VALUES (?, ?, ?, ?, ?)",
    ).bind(id, `C${counter}X${binding.slice(-1)}`, `Company ${counter}`, "admin@example.com", Date.now()),
    env.CENTRAL_DB.prepare(
      "INSERT INTO company_databases (company_id, provider, binding_name, schema_version) VALUES (?, 'd1', ?, ?)",
    ).bind(id, binding, latestTenantSchemaVersion),
  ]);
  await applyTenantMigrations(db);
  await db.prepare("INSERT INTO tenant_info (id, company_id) VALUES (1, ?)").bind(id).run();
  const machines = Array.from({ length: machineCount }, (_, i) => `${id}-m${i + 1}`);
  if (machines.length > 0) {
    await db.batch(
      machines.map((machine, i) =>
        db
          .prepare("INSERT INTO machines (id, name, thresholds) VALUES (?, ?, ?)")
          .bind(
            machine,
            `Machine ${i + 1}`,
            JSON.stringify({ temperature: { warn_above: 80, critical_above: 95 } }),
          ),
      ),
    );
  }
  return { id, db, machines };
}

export function samplesMessage(
  companyId: string,
  key: string,
  samples: { machine_id: string; metric: string; value: number; ts: number }[],
  usage: Extract<TelemetryQueueMessage, { kind: "samples" }>["usage"] = [],
  installationId: string | null = "inst-1",
): TelemetryQueueMessage {
  return { kind: "samples", company_id: companyId, key, installation_id: installationId, samples, usage };
}

let messageCounter = 0;

/** Delivers bodies to the worker's queue handler as one batch; returns acks and retries by message id. */
export async function deliver(
  bodies: unknown[],
  queue = "nexus-telemetry",
  attempts = 1,
  ids?: string[],
  vars: Record<string, string> = {},
) {
  const messages = bodies.map((body, i) => {
    messageCounter += 1;
    return { id: ids?.[i] ?? `msg-${messageCounter}`, timestamp: new Date(), attempts, body };
  });
  const batch = createMessageBatch(queue, messages);
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...vars } as never);
  const result = await getQueueResult(batch, ctx);
  return { ids: messages.map((m) => m.id), result };
}

export type RollupRow = Omit<Aggregate, "last_ts">;

export async function rollups(db: D1Database, resolution: "minute" | "hour" | "day"): Promise<RollupRow[]> {
  const { results } = await db
    .prepare(
      `SELECT machine_id, metric, bucket, count, sum, min, max, last FROM telemetry_${resolution} ORDER BY machine_id, metric, bucket`,
    )
    .all<RollupRow>();
  return results;
}

export const totalCount = (rows: RollupRow[]) => rows.reduce((sum, row) => sum + row.count, 0);

/** Polls `read` until `done` (the real queues deliver in the background), for at most 15 s. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
