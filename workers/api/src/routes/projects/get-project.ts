import { operation } from "../../lib/operation.ts";
import { projectScope } from "../../services/crm/caller.ts";
import { loadProject } from "../../services/crm/projects.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const getProject = operation("getProject", async (c, { params }) => {
  const { companyId, projectId } = params;
  const db = await tenantDatabase(c.env, companyId);
  const { view } = await loadProject(db, projectId, await projectScope(c, companyId));
  return { success: true, project: view };
});
