// Machines in the company's tenant database, read with their last values per metric, and changed
// with an audit row in the central database.
import {
  type CreateMachineRequestSchema,
  healthScore,
  type Machine,
  type MachineThresholds,
  type UpdateMachineRequestSchema,
} from "@nexus/contracts";
import { machineMetrics, machines } from "@nexus/db/tenant";
import { asc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { auditStatement } from "./audit.ts";
import { forgetKnownMachines } from "./known-machines.ts";
import { tenantDatabase } from "./tenant-db.ts";

export type MachineRow = typeof machines.$inferSelect;
export type TenantDb = ReturnType<typeof tenantOrm>;

export const tenantOrm = (db: D1Database) => drizzle(db);

/** The company's tenant database (refused when its data lives elsewhere). */
export const companyTenantOrm = async (c: Context<AppEnv>, companyId: string): Promise<TenantDb> =>
  tenantOrm(await tenantDatabase(c.env, companyId));

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

/** The company's machines by name, optionally only those with `status`. */
export async function companyMachines(orm: TenantDb, status?: string): Promise<Machine[]> {
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

/** Machine changes land in the tenant database first; the audit row follows in the central one. */
const audit = (
  c: Context<AppEnv>,
  companyId: string,
  action: string,
  machineId: string,
  details: Record<string, unknown>,
) => auditStatement(c, { companyId, action, targetType: "machine", targetId: machineId, details });

export async function addMachine(
  c: Context<AppEnv>,
  companyId: string,
  input: z.output<typeof CreateMachineRequestSchema>,
): Promise<Machine> {
  const orm = await companyTenantOrm(c, companyId);
  const id = newId();
  await orm.insert(machines).values({
    id,
    name: input.name,
    type: input.type ?? null,
    status: input.status,
    gridX: input.grid_x ?? null,
    gridY: input.grid_y ?? null,
    metadata: input.metadata,
    thresholds: input.thresholds,
  });
  await audit(c, companyId, "machine.created", id, { name: input.name });
  forgetKnownMachines(companyId);
  return machineView(orm, id);
}

export async function changeMachine(
  c: Context<AppEnv>,
  companyId: string,
  machineId: string,
  input: z.output<typeof UpdateMachineRequestSchema>,
): Promise<Machine> {
  const orm = await companyTenantOrm(c, companyId);
  await machineRow(orm, machineId);
  await orm
    .update(machines)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.type !== undefined ? { type: input.type } : {}),
      ...(input.status !== undefined ? { status: input.status } : {}),
      ...(input.grid_x !== undefined ? { gridX: input.grid_x } : {}),
      ...(input.grid_y !== undefined ? { gridY: input.grid_y } : {}),
      ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
      ...(input.thresholds !== undefined
        ? {
            thresholds: input.thresholds,
            healthScore: await rescoredHealth(orm, machineId, input.thresholds),
          }
        : {}),
      updatedAt: Date.now(),
    })
    .where(eq(machines.id, machineId));
  await audit(c, companyId, "machine.updated", machineId, { fields: Object.keys(input) });
  return machineView(orm, machineId);
}

/** Deletes the machine; returns it as it was. */
export async function removeMachine(
  c: Context<AppEnv>,
  companyId: string,
  machineId: string,
): Promise<Machine> {
  const orm = await companyTenantOrm(c, companyId);
  const machine = await machineView(orm, machineId);
  // Its last values and roll-ups go with it (ON DELETE CASCADE).
  await orm.delete(machines).where(eq(machines.id, machineId));
  await audit(c, companyId, "machine.deleted", machineId, { name: machine.name });
  forgetKnownMachines(companyId);
  return machine;
}
