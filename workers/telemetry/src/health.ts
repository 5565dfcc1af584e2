// Health scores follow the last values: recomputed for every machine a batch touched, from what is
// stored (not from the batch), so redelivery and out-of-order batches converge to the same score.
import { healthScore, type MetricLimits } from "@nexus/db";

export async function refreshHealth(db: D1Database, machineIds: string[]): Promise<void> {
  if (machineIds.length === 0) return;
  const ids = JSON.stringify(machineIds);
  const [machines, metrics] = await db.batch<{
    id: string;
    thresholds: string;
    machine_id: string;
    metric: string;
    value: number;
  }>([
    db.prepare("SELECT id, thresholds FROM machines WHERE id IN (SELECT value FROM json_each(?1))").bind(ids),
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
  const scores = (machines?.results ?? []).map((machine) => ({
    id: machine.id,
    score: healthScore(
      last.get(machine.id) ?? {},
      JSON.parse(machine.thresholds) as Record<string, MetricLimits>,
    ),
  }));
  await db
    .prepare(
      `UPDATE machines SET health_score = j.value ->> 'score'
       FROM json_each(?1) AS j WHERE machines.id = j.value ->> 'id' AND machines.health_score IS NOT j.value ->> 'score'`,
    )
    .bind(JSON.stringify(scores))
    .run();
}
