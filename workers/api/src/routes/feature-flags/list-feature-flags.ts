import { operation } from "../../lib/operation.ts";
import { loadFlags } from "../../services/crm/flags.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listFeatureFlags = operation("listFeatureFlags", async (c, { params }) => ({
  success: true,
  flags: await loadFlags(await tenantDatabase(c.env, params.companyId)),
}));
