import { operation } from "../../lib/operation.ts";
import { companyMachines, companyTenantOrm } from "../../services/machines.ts";

export const listMachines = operation("listMachines", async (c, { params, query }) => ({
  success: true,
  machines: await companyMachines(await companyTenantOrm(c, params.companyId), query.status),
}));
