import { operation } from "../../lib/operation.ts";
import { auditStatement } from "../../services/audit.ts";
import { projectScope } from "../../services/crm/caller.ts";
import { requireMembers } from "../../services/crm/members.ts";
import { publishProjectStatus } from "../../services/crm/project-status.ts";
import { assignedUsers, changeProject } from "../../services/crm/project-writes.ts";
import { loadProject } from "../../services/crm/projects.ts";
import { notifyProjectChange } from "../../services/notifications/system-events.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const updateProject = operation("updateProject", async (c, { params, body }) => {
  const { companyId, projectId } = params;
  const db = await tenantDatabase(c.env, companyId);
  const { row } = await loadProject(db, projectId, await projectScope(c, companyId));
  if (body.assignments) await requireMembers(c.get("db"), companyId, assignedUsers(body.assignments));
  await changeProject(db, row.id, body);
  await auditStatement(c, {
    companyId,
    action: "project.updated",
    targetType: "project",
    targetId: row.id,
    details: { changes: body },
  });
  const { view } = await loadProject(db, projectId, { all: true });
  // A new assignee hears the job's state too: from now on its status reaches them.
  if (body.status !== undefined || body.assignments) await publishProjectStatus(c.env, db, companyId, view);
  if (body.assignments) {
    notifyProjectChange(c, companyId, view, { kind: "assigned", userIds: assignedUsers(body.assignments) });
  }
  return { success: true, project: view };
});
