import { evaluateFlags } from "@nexus/contracts";
import { operation } from "../../lib/operation.ts";
import { callerRoles } from "../../services/crm/caller.ts";
import { loadFlags, showroomTypesOf } from "../../services/crm/flags.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const myFeatureFlags = operation("myFeatureFlags", async (c, { params, caller }) => {
  const { companyId } = params;
  const db = await tenantDatabase(c.env, companyId);
  const flags = evaluateFlags(await loadFlags(db), {
    roles: await callerRoles(c, companyId),
    showroomTypes: caller.kind === "user" ? await showroomTypesOf(db, caller.userId) : [],
  });
  return { success: true, flags };
});
