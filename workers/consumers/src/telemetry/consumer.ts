// The `telemetry` queue's consumer. Messages are grouped per company; each company's fresh messages
// are applied in one D1 batch to its own tenant database (see tenant-writes.ts). Companies are handled
// independently: one whose database fails has its messages retried while the others are acked. A
// message that cannot be applied (malformed, or failing on its own) is retried with growing delays
// and, after the consumer's max_retries, lands in the dead-letter queue.
import type { TelemetryQueueMessage } from "@nexus/contracts";
import { errorText, openTenantDatabase } from "@nexus/db";
import { machines, telemetryBatches } from "@nexus/db/tenant";
import { sql } from "drizzle-orm";
import { type CompanyMessage, perCompany } from "../company-batches.ts";
import { batchAll, type Orm, orm } from "../db.ts";
import { refreshHealth } from "./health.ts";
import { checkTelemetryMessage } from "./message.ts";
import { planWrites } from "./tenant-writes.ts";

export interface TelemetryEnv {
  CENTRAL_DB: D1Database;
  /** Seconds before the first retry; doubled per attempt, capped at 15 minutes. */
  TELEMETRY_RETRY_BASE_SECONDS?: string;
  /** Where `telemetry.alert` webhook events are announced (see health.ts). */
  EVENTS_QUEUE: Queue;
}

type Parsed = CompanyMessage<TelemetryQueueMessage>;

function log(level: "info" | "warn" | "error", event: string, fields: Record<string, unknown>) {
  console[level === "info" ? "log" : level](JSON.stringify({ level, event, ...fields }));
}

export function retryDelaySeconds(env: TelemetryEnv, attempts: number): number {
  const base = Number(env.TELEMETRY_RETRY_BASE_SECONDS ?? 10);
  return Math.min(900, Math.max(0, base) * 2 ** Math.max(0, attempts - 1));
}

const retry = (env: TelemetryEnv, message: Message) =>
  message.retry({ delaySeconds: retryDelaySeconds(env, message.attempts) });

const isDuplicateKey = (error: unknown) =>
  errorText(error).includes("UNIQUE constraint failed: telemetry_batches.key");

function machinesOf(items: Parsed[]): string[] {
  const ids = new Set<string>();
  for (const item of items) {
    if (item.body.kind === "samples") for (const sample of item.body.samples) ids.add(sample.machine_id);
  }
  return [...ids];
}

/** Applies fresh messages in one transaction; a key applied before fails it with isDuplicateKey. */
async function apply(db: Orm, items: Parsed[], existing: Set<string>): Promise<void> {
  const samples = items.flatMap((item) => (item.body.kind === "samples" ? [item.body] : []));
  const versions = items.flatMap((item) => (item.body.kind === "versions" ? [item.body] : []));
  await batchAll(db, planWrites(db, samples, versions, existing).statements);
}

/** In one D1 round trip: which keys were applied before, and which of the machines exist. */
async function lookUp(db: Orm, items: Parsed[], machineIds: string[]) {
  const keys = items.flatMap((item) => (item.body.kind === "samples" ? [item.body.key] : []));
  // One bound JSON array instead of a parameter per key or id (D1 caps bound parameters at 100).
  const [applied, existing] = await db.batch([
    db
      .select({ key: telemetryBatches.key })
      .from(telemetryBatches)
      .where(sql`${telemetryBatches.key} IN (SELECT value FROM json_each(${JSON.stringify(keys)}))`),
    db
      .select({ id: machines.id })
      .from(machines)
      .where(sql`${machines.id} IN (SELECT value FROM json_each(${JSON.stringify(machineIds)}))`),
  ]);
  return {
    done: new Set(applied.map((row) => row.key)),
    existing: new Set(existing.map((row) => row.id)),
  };
}

async function processCompany(env: TelemetryEnv, companyId: string, items: Parsed[]): Promise<void> {
  let db: Orm;
  try {
    db = orm(await openTenantDatabase(env, env.CENTRAL_DB, companyId));
  } catch (error) {
    log("error", "telemetry_tenant_unavailable", {
      companyId,
      messages: items.length,
      error: errorText(error),
    });
    for (const item of items) retry(env, item.message);
    return;
  }
  const machineIds = machinesOf(items);
  const { done, existing } = await lookUp(db, items, machineIds);
  const fresh: Parsed[] = [];
  const seenKeys = new Set<string>();
  for (const item of items) {
    const key = item.body.kind === "samples" ? item.body.key : null;
    // Redelivered, or the same batch enqueued twice (a client resent it): acked without effect.
    if (key !== null && (done.has(key) || seenKeys.has(key))) continue;
    if (key !== null) seenKeys.add(key);
    fresh.push(item);
  }
  const failed = new Set<Parsed>();
  try {
    await apply(db, fresh, existing);
  } catch (error) {
    // One at a time, so a message that cannot be applied holds back only itself.
    log("warn", "telemetry_batch_split", { companyId, messages: fresh.length, error: errorText(error) });
    for (const item of fresh) {
      try {
        await apply(db, [item], existing);
      } catch (single) {
        if (isDuplicateKey(single)) continue;
        log("error", "telemetry_message_failed", {
          companyId,
          id: item.message.id,
          attempts: item.message.attempts,
          error: errorText(single),
        });
        failed.add(item);
      }
    }
  }
  try {
    // Also for duplicates: a delivery whose health refresh failed is redelivered to finish it.
    await refreshHealth(db, machineIds, {
      central: env.CENTRAL_DB,
      queue: env.EVENTS_QUEUE,
      companyId,
    });
  } catch (error) {
    log("error", "telemetry_health_failed", { companyId, error: errorText(error) });
    for (const item of items) retry(env, item.message);
    return;
  }
  for (const item of items) {
    if (failed.has(item)) retry(env, item.message);
    else item.message.ack();
  }
}

export async function consumeTelemetry(batch: MessageBatch, env: TelemetryEnv): Promise<void> {
  await perCompany(batch, {
    name: "telemetry",
    check: checkTelemetryMessage,
    retry: (message) => retry(env, message),
    work: (companyId, items) => processCompany(env, companyId, items),
  });
}
