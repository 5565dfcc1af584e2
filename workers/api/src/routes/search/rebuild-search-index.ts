import { operation } from "../../lib/operation.ts";
import { rebuildSearchIndex as rebuild } from "../../services/search/index-maintenance.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const rebuildSearchIndex = operation("rebuildSearchIndex", async (c, { params }) =>
  rebuild(c.env, await tenantDatabase(c.env, params.companyId), params.companyId),
);
