import { operation } from "../../lib/operation.ts";
import { dropSearchIndex as drop } from "../../services/search/index-maintenance.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const dropSearchIndex = operation("dropSearchIndex", async (c, { params }) =>
  drop(await tenantDatabase(c.env, params.companyId)),
);
