import { operation } from "../../lib/operation.ts";
import { projectScope } from "../../services/crm/caller.ts";
import { projectPage, projectViews } from "../../services/crm/projects.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listProjects = operation("listProjects", async (c, { params, query }) => {
  const { companyId } = params;
  const scope = await projectScope(c, companyId);
  const db = await tenantDatabase(c.env, companyId);
  const { cursor, limit, ...filters } = query;
  const assignee = filters.assignee === "me" ? (c.get("actor").id ?? "") : filters.assignee;
  const page = await projectPage(db, scope, { ...filters, assignee }, { cursor, limit });
  return { success: true, projects: await projectViews(db, page.items), next_cursor: page.nextCursor };
});
