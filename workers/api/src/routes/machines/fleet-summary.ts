import { operation } from "../../lib/operation.ts";
import { companyMachines, companyTenantOrm } from "../../services/machines.ts";
import { summariseFleet } from "../../services/telemetry-queries.ts";

export const fleetSummary = operation("fleetSummary", async (c, { params }) => ({
  success: true,
  ...summariseFleet(await companyMachines(await companyTenantOrm(c, params.companyId))),
}));
