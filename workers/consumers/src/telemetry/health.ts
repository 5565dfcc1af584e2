// Health scores recomputed from the last values and thresholds the tenant database has stored (not
// from the batch), so redelivery and out-of-order batches converge to the same score. A machine whose
// alert level changes gets a `telemetry.alert` webhook event, written before the score is saved: if
// saving fails, the retry finds the same change and writes the same event id, so it is neither lost
// nor sent twice.
import {
  type EventsQueueMessage,
  healthScore,
  type MetricLimits,
  type WebhookEventData,
  webhookEventCatalogue,
} from "@nexus/contracts";
import { sha256Hex } from "@nexus/security";

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

async function planHealth(db: D1Database, machineIds: string[]): Promise<MachineHealth[]> {
  const ids = JSON.stringify(machineIds);
  const [machines, metrics] = await db.batch<{
    id: string;
    name: string;
    thresholds: string;
    health_score: number | null;
    last_sample_at: number | null;
    machine_id: string;
    metric: string;
    value: number;
  }>([
    db
      .prepare(
        "SELECT id, name, thresholds, health_score, last_sample_at FROM machines WHERE id IN (SELECT value FROM json_each(?1))",
      )
      .bind(ids),
    db
      .prepare(
        "SELECT machine_id, metric, value FROM machine_metrics WHERE machine_id IN (SELECT value FROM json_each(?1))",
      )
      .bind(ids),
  ]);
  const last = new Map<string, Record<string, number>>();
  for (const row of metrics?.results ?? []) {
    const values = last.get(row.machine_id) ?? {};
    values[row.metric] = row.value;
    last.set(row.machine_id, values);
  }
  return (machines?.results ?? []).map((machine) => ({
    id: machine.id,
    name: machine.name,
    previous: machine.health_score,
    lastSampleAt: machine.last_sample_at,
    score: healthScore(
      last.get(machine.id) ?? {},
      JSON.parse(machine.thresholds) as Record<string, MetricLimits>,
    ),
  }));
}

/** Outbox rows (central database) for machines whose alert level changed; returns their ids. */
async function writeAlerts(
  central: D1Database,
  companyId: string,
  health: MachineHealth[],
): Promise<string[]> {
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
  await central.batch(
    rows.map((row) =>
      central
        .prepare(
          "INSERT INTO webhook_events (id, company_id, type, data) VALUES (?, ?, 'telemetry.alert', ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(row.id, companyId, JSON.stringify(row.data)),
    ),
  );
  return rows.map((row) => row.id);
}

export async function refreshHealth(
  db: D1Database,
  machineIds: string[],
  alerts: { central: D1Database; queue: Queue; companyId: string },
): Promise<void> {
  if (machineIds.length === 0) return;
  const health = await planHealth(db, machineIds);
  const eventIds = await writeAlerts(alerts.central, alerts.companyId, health);
  if (eventIds.length > 0) {
    await alerts.queue.sendBatch(
      eventIds.map((id) => ({ body: { kind: "event", event_id: id } satisfies EventsQueueMessage })),
    );
  }
  await db
    .prepare(
      `UPDATE machines SET health_score = j.value ->> 'score'
       FROM json_each(?1) AS j WHERE machines.id = j.value ->> 'id' AND machines.health_score IS NOT j.value ->> 'score'`,
    )
    .bind(JSON.stringify(health.map((machine) => ({ id: machine.id, score: machine.score }))))
    .run();
}
