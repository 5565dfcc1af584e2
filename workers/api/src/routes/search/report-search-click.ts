import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { recordSearchClick } from "../../services/search/report.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const reportSearchClick = operation("reportSearchClick", async (c, { params, body }) => {
  const db = await tenantDatabase(c.env, params.companyId);
  // The log lives in the company's own database: another company's query id is simply not there.
  if (!(await recordSearchClick(db, params.queryId, body))) {
    throw new ApiError(
      "SEARCH_QUERY_NOT_FOUND",
      `This company logged no search ${params.queryId}; report the query_id its search answered.`,
    );
  }
  return { success: true };
});
