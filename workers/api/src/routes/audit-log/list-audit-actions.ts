import { operation } from "../../lib/operation.ts";
import { companyAuditActions } from "../../services/audit-log.ts";

export const listAuditActions = operation("listAuditActions", async (c, { params }) => ({
  success: true,
  actions: await companyAuditActions(c.get("db"), params.companyId),
}));
