import { operation } from "../../lib/operation.ts";
import { companyAuditLog, toAuditEntryView } from "../../services/audit-log.ts";

export const listAuditLog = operation("listAuditLog", async (c, { params, query }) => {
  const page = await companyAuditLog(c.get("db"), params.companyId, query);
  return { success: true, entries: page.items.map(toAuditEntryView), next_cursor: page.nextCursor };
});
