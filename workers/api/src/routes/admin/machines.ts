import { routes } from "@nexus/contracts";
import { machines } from "@nexus/db/tenant";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { newId } from "../../lib/ids.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams, validQuery } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { forgetKnownMachines } from "../../services/known-machines.ts";
import {
  listMachines,
  machineRow,
  machineView,
  rescoredHealth,
  type TenantDb,
  tenantOrm,
} from "../../services/machines.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const { listMachines: list, createMachine, getMachine, updateMachine, deleteMachine } = routes;

const ormFor = async (c: Context<AppEnv>, companyId: string): Promise<TenantDb> =>
  tenantOrm(await tenantDatabase(c.env, companyId));

/** Machine changes land in the tenant database first; the audit row follows in the central one. */
const audit = (
  c: Context<AppEnv>,
  companyId: string,
  action: string,
  machineId: string,
  details?: Record<string, unknown>,
) =>
  auditStatement(c, {
    companyId,
    action,
    targetType: "machine",
    targetId: machineId,
    ...(details ? { details } : {}),
  });

export const machineAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(list.path), validParams(list.params), validQuery(list.query), async (c) => {
    const { companyId } = c.req.valid("param");
    const { status } = c.req.valid("query");
    return c.json({
      success: true as const,
      machines: await listMachines(await ormFor(c, companyId), status),
    });
  })
  .post(
    honoPath(createMachine.path),
    validParams(createMachine.params),
    jsonBody(createMachine.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const input = c.req.valid("json");
      const orm = await ormFor(c, companyId);
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
      return c.json({ success: true as const, machine: await machineView(orm, id) }, 201);
    },
  )
  .get(honoPath(getMachine.path), validParams(getMachine.params), async (c) => {
    const { companyId, machineId } = c.req.valid("param");
    return c.json({
      success: true as const,
      machine: await machineView(await ormFor(c, companyId), machineId),
    });
  })
  .patch(
    honoPath(updateMachine.path),
    validParams(updateMachine.params),
    jsonBody(updateMachine.body),
    async (c) => {
      const { companyId, machineId } = c.req.valid("param");
      const input = c.req.valid("json");
      const orm = await ormFor(c, companyId);
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
      return c.json({ success: true as const, machine: await machineView(orm, machineId) });
    },
  )
  .delete(honoPath(deleteMachine.path), validParams(deleteMachine.params), async (c) => {
    const { companyId, machineId } = c.req.valid("param");
    const orm = await ormFor(c, companyId);
    const machine = await machineView(orm, machineId);
    // Its last values and roll-ups go with it (ON DELETE CASCADE).
    await orm.delete(machines).where(eq(machines.id, machineId));
    await audit(c, companyId, "machine.deleted", machineId, { name: machine.name });
    forgetKnownMachines(companyId);
    return c.json({ success: true as const, machine });
  });
