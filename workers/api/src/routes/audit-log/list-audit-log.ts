import { operation } from "../../lib/operation.ts";
import { auditLabels } from "../../services/audit-labels.ts";
import { companyAuditLog, toAuditEntryView } from "../../services/audit-log.ts";

export const listAuditLog = operation("listAuditLog", async (c, { params, query }) => {
  const page = await companyAuditLog(c.get("db"), params.companyId, query);
  const labels = await auditLabels(c.env, c.get("db"), params.companyId, page.items);
  return {
    success: true,
    entries: page.items.map((row, index) => ({ ...toAuditEntryView(row), ...labels[index] })),
    next_cursor: page.nextCursor,
  };
});
