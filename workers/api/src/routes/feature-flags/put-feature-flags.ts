import { operation } from "../../lib/operation.ts";
import { auditStatement } from "../../services/audit.ts";
import { loadFlags, replaceFlags } from "../../services/crm/flags.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const putFeatureFlags = operation("putFeatureFlags", async (c, { params, body }) => {
  const { companyId } = params;
  const db = await tenantDatabase(c.env, companyId);
  await replaceFlags(db, body.flags);
  await auditStatement(c, {
    companyId,
    action: "feature_flags.changed",
    targetType: "company",
    targetId: companyId,
    details: { keys: body.flags.map((flag) => flag.key) },
  });
  return { success: true, flags: await loadFlags(db) };
});
