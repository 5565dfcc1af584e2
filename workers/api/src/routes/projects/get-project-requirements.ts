import { operation } from "../../lib/operation.ts";
import { projectScope } from "../../services/crm/caller.ts";
import { pipelineFor } from "../../services/crm/pipeline.ts";
import { loadProject, requirementStatus } from "../../services/crm/projects.ts";
import { showroomTypeOf } from "../../services/crm/stages.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const getProjectRequirements = operation("getProjectRequirements", async (c, { params }) => {
  const { companyId, projectId } = params;
  const db = await tenantDatabase(c.env, companyId);
  const { row, assignments } = await loadProject(db, projectId, await projectScope(c, companyId));
  const { stages } = await pipelineFor(db, await showroomTypeOf(db, row.showroomId));
  return {
    success: true,
    project_id: row.id,
    stage: row.stage,
    stages: await requirementStatus(db, row, assignments, stages),
  };
});
