import { operation } from "../../lib/operation.ts";
import { searchIndexStatus } from "../../services/search/index-maintenance.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const getSearchIndex = operation("getSearchIndex", async (c, { params }) =>
  searchIndexStatus(await tenantDatabase(c.env, params.companyId)),
);
