import { operation } from "../../lib/operation.ts";
import { searchReport } from "../../services/search/report.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const getSearchReport = operation("getSearchReport", async (c, { params, query }) => ({
  success: true,
  ...(await searchReport(await tenantDatabase(c.env, params.companyId), query)),
}));
