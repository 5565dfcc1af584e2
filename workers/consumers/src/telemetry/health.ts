// Health scores recomputed from the last values and thresholds the tenant database has stored (not
// from the batch), so redelivery and out-of-order batches converge to the same score. A machine whose
// alert level changes gets a `telemetry.alert` webhook event, written before the score is saved: if
// saving fails, the retry finds the same change and writes the same event id, so it is neither lost
// nor sent twice.
import {
  type EventsQueueMessage,
  healthScore,
  type WebhookEventData,
  webhookEventCatalogue,
} from "@nexus/contracts";
import { webhookEvents } from "@nexus/db/central";
import { machineMetrics, machines } from "@nexus/db/tenant";
import { sha256Hex } from "@nexus/security";
import { sql } from "drizzle-orm";
import { batchAll, type Orm, orm } from "../db.ts";

type AlertLevel = WebhookEventData<"telemetry.alert">["severity"];

/** A machine's alert level: any limit crossed is a warning; health at or below 50 is critical. */
export function alertLevel(score: number | null): AlertLevel | null {
  if (score === null) return null;
  return score >= 100 ? "ok" : score > 50 ? "warning" : "critical";
}

interface MachineHealth {
  id: string;
  name: string;
  previous: number | null;
  score: number | null;
  lastSampleAt: number | null;
}

async function planHealth(db: Orm, machineIds: string[]): Promise<MachineHealth[]> {
  // One bound JSON array instead of a parameter per id (D1 caps bound parameters at 100).
  const ids = sql`(SELECT value FROM json_each(${JSON.stringify(machineIds)}))`;
  const [rows, metrics] = await db.batch([
    db
      .select({
        id: machines.id,
        name: machines.name,
        thresholds: machines.thresholds,
        healthScore: machines.healthScore,
        lastSampleAt: machines.lastSampleAt,
      })
      .from(machines)
      .where(sql`${machines.id} IN ${ids}`),
    db
      .select({
        machineId: machineMetrics.machineId,
        metric: machineMetrics.metric,
        value: machineMetrics.value,
      })
      .from(machineMetrics)
      .where(sql`${machineMetrics.machineId} IN ${ids}`),
  ]);
  const last = new Map<string, Record<string, number>>();
  for (const row of metrics) {
    const values = last.get(row.machineId) ?? {};
    values[row.metric] = row.value;
    last.set(row.machineId, values);
  }
  return rows.map((machine) => ({
    id: machine.id,
    name: machine.name,
    previous: machine.healthScore,
    lastSampleAt: machine.lastSampleAt,
    score: healthScore(last.get(machine.id) ?? {}, machine.thresholds),
  }));
}

/** Outbox rows (central database) for machines whose alert level changed; returns their ids. */
async function writeAlerts(central: Orm, companyId: string, health: MachineHealth[]): Promise<string[]> {
  const changed = health.filter(
    (machine) => machine.score !== null && alertLevel(machine.score) !== alertLevel(machine.previous),
  );
  if (changed.length === 0) return [];
  const rows = await Promise.all(
    changed.map(async (machine) => {
      const data: WebhookEventData<"telemetry.alert"> = webhookEventCatalogue["telemetry.alert"].data.parse({
        machine_id: machine.id,
        machine_name: machine.name,
        health_score: machine.score,
        severity: alertLevel(machine.score),
        previous_severity: alertLevel(machine.previous),
      });
      // Deterministic: the same change (machine, scores, newest sample) always has the same id.
      const id = `alert_${(await sha256Hex(`${companyId}|${machine.id}|${machine.previous}|${machine.score}|${machine.lastSampleAt}`)).slice(0, 32)}`;
      return { id, data };
    }),
  );
  await batchAll(
    central,
    rows.map((row) =>
      central
        .insert(webhookEvents)
        .values({ id: row.id, companyId, type: "telemetry.alert", data: row.data })
        .onConflictDoNothing({ target: webhookEvents.id }),
    ),
  );
  return rows.map((row) => row.id);
}

export async function refreshHealth(
  db: Orm,
  machineIds: string[],
  alerts: { central: D1Database; queue: Queue; companyId: string },
): Promise<void> {
  if (machineIds.length === 0) return;
  const health = await planHealth(db, machineIds);
  const eventIds = await writeAlerts(orm(alerts.central), alerts.companyId, health);
  if (eventIds.length > 0) {
    await alerts.queue.sendBatch(
      eventIds.map((id) => ({ body: { kind: "event", event_id: id } satisfies EventsQueueMessage })),
    );
  }
  // One statement gives every machine its own score: update … from json_each, with raw SQL
  // fragments (drizzle's plain update sets the same values on every row it matches).
  const scores = JSON.stringify(health.map((machine) => ({ id: machine.id, score: machine.score })));
  await db
    .update(machines)
    .set({ healthScore: sql`j.value ->> 'score'` })
    .from(sql`json_each(${scores}) AS j`)
    .where(sql`${machines.id} = j.value ->> 'id' AND ${machines.healthScore} IS NOT j.value ->> 'score'`);
}
