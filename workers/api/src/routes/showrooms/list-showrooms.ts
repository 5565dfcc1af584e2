import { operation } from "../../lib/operation.ts";
import { showroomViews } from "../../services/crm/showrooms.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listShowrooms = operation("listShowrooms", async (c, { params }) => ({
  success: true,
  showrooms: await showroomViews(await tenantDatabase(c.env, params.companyId)),
}));
