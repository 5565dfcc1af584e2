import { operation } from "../../lib/operation.ts";
import { companyTenantOrm } from "../../services/machines.ts";
import { adoption } from "../../services/telemetry-queries.ts";

export const appAdoption = operation("appAdoption", async (c, { params, query }) => ({
  success: true,
  ...(await adoption(c.get("db"), await companyTenantOrm(c, params.companyId), params.companyId, query.days)),
}));
