import { projectReference } from "@nexus/contracts";
import { operation } from "../../lib/operation.ts";
import { auditStatement } from "../../services/audit.ts";
import { requireMembers } from "../../services/crm/members.ts";
import { assignedUsers, openProject } from "../../services/crm/project-writes.ts";
import { loadProject } from "../../services/crm/projects.ts";
import { notifyProjectChange } from "../../services/notifications/system-events.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const createProject = operation("createProject", async (c, { params, body }) => {
  const { companyId } = params;
  await requireMembers(c.get("db"), companyId, assignedUsers(body.assignments));
  const db = await tenantDatabase(c.env, companyId);
  const id = await openProject(db, body, c.get("actor"));
  const { view } = await loadProject(db, id, { all: true });
  await auditStatement(c, {
    companyId,
    action: "project.created",
    targetType: "project",
    targetId: id,
    details: { reference: projectReference(view.number), title: view.title },
  });
  notifyProjectChange(c, companyId, view, { kind: "assigned", userIds: assignedUsers(body.assignments) });
  return { success: true, project: view };
});
