// Machines in the company's tenant database, read with their last values per metric.
import { healthScore, type Machine, type MachineThresholds } from "@nexus/contracts";
import { machineMetrics, machines } from "@nexus/db/tenant";
import { asc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../lib/errors.ts";

export type MachineRow = typeof machines.$inferSelect;
export type TenantDb = ReturnType<typeof tenantOrm>;

export const tenantOrm = (db: D1Database) => drizzle(db);

const iso = (ms: number) => new Date(ms).toISOString();

export function toMachineView(row: MachineRow, last: Machine["last_values"] = {}): Machine {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status as Machine["status"],
    health_score: row.healthScore,
    grid_x: row.gridX,
    grid_y: row.gridY,
    metadata: row.metadata,
    thresholds: row.thresholds as MachineThresholds,
    last_values: last,
    last_sample_at: row.lastSampleAt === null ? null : iso(row.lastSampleAt),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

async function lastValuesOf(orm: TenantDb, ids: string[]): Promise<Map<string, Machine["last_values"]>> {
  const byMachine = new Map<string, Machine["last_values"]>();
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await orm
      .select()
      .from(machineMetrics)
      .where(inArray(machineMetrics.machineId, ids.slice(i, i + 90)));
    for (const row of rows) {
      const values = byMachine.get(row.machineId) ?? {};
      values[row.metric] = { value: row.value, ts: iso(row.ts) };
      byMachine.set(row.machineId, values);
    }
  }
  return byMachine;
}

/** Machine rows as views, with their last values. */
export async function machineViews(orm: TenantDb, rows: MachineRow[]): Promise<Machine[]> {
  const last = await lastValuesOf(
    orm,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toMachineView(row, last.get(row.id)));
}

export async function listMachines(orm: TenantDb, status?: string): Promise<Machine[]> {
  const rows = await orm
    .select()
    .from(machines)
    .where(status ? eq(machines.status, status) : undefined)
    .orderBy(asc(machines.name), asc(machines.id));
  return machineViews(orm, rows);
}

export async function machineRow(orm: TenantDb, machineId: string): Promise<MachineRow> {
  const [row] = await orm.select().from(machines).where(eq(machines.id, machineId)).limit(1);
  if (!row) throw new ApiError("MACHINE_NOT_FOUND", `This company has no machine ${machineId}.`);
  return row;
}

export async function machineView(orm: TenantDb, machineId: string): Promise<Machine> {
  const [view] = await machineViews(orm, [await machineRow(orm, machineId)]);
  if (!view) throw new Error("machine view vanished");
  return view;
}

/** The health score for new thresholds, from the machine's stored last values. */
export async function rescoredHealth(
  orm: TenantDb,
  machineId: string,
  thresholds: MachineThresholds,
): Promise<number | null> {
  const last = (await lastValuesOf(orm, [machineId])).get(machineId) ?? {};
  return healthScore(
    Object.fromEntries(Object.entries(last).map(([metric, { value }]) => [metric, value])),
    thresholds,
  );
}
