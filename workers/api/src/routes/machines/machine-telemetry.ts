import { operation } from "../../lib/operation.ts";
import { companyTenantOrm, machineRow } from "../../services/machines.ts";
import { series, seriesRange } from "../../services/telemetry-queries.ts";

export const machineTelemetry = operation("machineTelemetry", async (c, { params, query }) => {
  const { companyId, machineId } = params;
  const range = seriesRange(query, query.resolution);
  const orm = await companyTenantOrm(c, companyId);
  await machineRow(orm, machineId);
  return {
    success: true,
    machine_id: machineId,
    metric: query.metric,
    resolution: query.resolution,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    points: await series(orm, machineId, query.metric, query.resolution, range),
  };
});
