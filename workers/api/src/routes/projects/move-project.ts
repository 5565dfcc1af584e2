import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { auditStatement } from "../../services/audit.ts";
import { callerCan, projectScope } from "../../services/crm/caller.ts";
import { publishProjectStatus } from "../../services/crm/project-status.ts";
import { recordMove } from "../../services/crm/project-writes.ts";
import { loadProject } from "../../services/crm/projects.ts";
import { planMove, unmetError } from "../../services/crm/stages.ts";
import { notifyProjectChange } from "../../services/notifications/system-events.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

// A project moves one stage forward when the next stage's requirements are met; skipping or going
// back takes projects:override and a reason. Every move is an activity with its actor and time.
export const moveProject = operation("moveProject", async (c, { params, body }) => {
  const { companyId, projectId } = params;
  const { to_stage, reason } = body;
  const db = await tenantDatabase(c.env, companyId);
  const { row, assignments } = await loadProject(db, projectId, await projectScope(c, companyId));
  const { target, kind, unmet } = await planMove(db, row, assignments, to_stage);
  if (kind === "advance") {
    if (unmet.length > 0) throw unmetError(target, unmet);
  } else {
    if (!(await callerCan(c, companyId, { resource: "projects", action: "override" }))) {
      throw new ApiError(
        "FORBIDDEN",
        `Moving a project ${kind === "skip" ? "past stages" : "back"} needs projects:override.`,
      );
    }
    if (!reason)
      throw new ApiError(
        "VALIDATION_FAILED",
        `Give a reason to move a project ${kind === "skip" ? "past stages" : "back"}.`,
      );
  }
  if (!(await recordMove(db, row, { target, kind, reason: reason ?? null }, c.get("actor")))) {
    throw new ApiError("PROJECT_NOT_FOUND", "The project changed stage meanwhile; reload it and try again.");
  }
  await auditStatement(c, {
    companyId,
    action: "project.moved",
    targetType: "project",
    targetId: row.id,
    details: { from: row.stage, to: target.key, kind, reason: reason ?? null },
  });
  const { view } = await loadProject(db, projectId, { all: true });
  await publishProjectStatus(c.env, db, companyId, view);
  notifyProjectChange(c, companyId, view, { kind: "moved" });
  return { success: true, project: view };
});
