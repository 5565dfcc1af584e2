import { operation } from "../../lib/operation.ts";
import { projectScope } from "../../services/crm/caller.ts";
import { activityPage, loadProject, toActivityView } from "../../services/crm/projects.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listActivities = operation("listActivities", async (c, { params, query }) => {
  const { companyId, projectId } = params;
  const db = await tenantDatabase(c.env, companyId);
  await loadProject(db, projectId, await projectScope(c, companyId));
  const page = await activityPage(db, projectId, query);
  return { success: true, activities: page.items.map(toActivityView), next_cursor: page.nextCursor };
});
