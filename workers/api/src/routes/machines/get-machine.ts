import { operation } from "../../lib/operation.ts";
import { companyTenantOrm, machineView } from "../../services/machines.ts";

export const getMachine = operation("getMachine", async (c, { params }) => ({
  success: true,
  machine: await machineView(await companyTenantOrm(c, params.companyId), params.machineId),
}));
