import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { honoPath, validParams, validQuery } from "../../lib/route.ts";
import { listMachines, machineRow, tenantOrm } from "../../services/machines.ts";
import { adoption, fleetSummary, series, seriesRange } from "../../services/telemetry-queries.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const { machineTelemetry, fleetSummary: fleet, appAdoption } = routes;

export const telemetryAdminRoutes = new Hono<AppEnv>()
  .get(
    honoPath(machineTelemetry.path),
    validParams(machineTelemetry.params),
    validQuery(machineTelemetry.query),
    async (c) => {
      const { companyId, machineId } = c.req.valid("param");
      const query = c.req.valid("query");
      const range = seriesRange(query, query.resolution);
      const db = await tenantDatabase(c.env, companyId);
      await machineRow(tenantOrm(db), machineId);
      return c.json({
        success: true as const,
        machine_id: machineId,
        metric: query.metric,
        resolution: query.resolution,
        from: new Date(range.from).toISOString(),
        to: new Date(range.to).toISOString(),
        points: await series(db, machineId, query.metric, query.resolution, range),
      });
    },
  )
  .get(honoPath(fleet.path), validParams(fleet.params), async (c) => {
    const { companyId } = c.req.valid("param");
    const machines = await listMachines(tenantOrm(await tenantDatabase(c.env, companyId)));
    return c.json({ success: true as const, ...fleetSummary(machines) });
  })
  .get(
    honoPath(appAdoption.path),
    validParams(appAdoption.params),
    validQuery(appAdoption.query),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { days } = c.req.valid("query");
      const tenant = await tenantDatabase(c.env, companyId);
      return c.json({
        success: true as const,
        ...(await adoption(c.env.CENTRAL_DB, tenant, companyId, days)),
      });
    },
  );
