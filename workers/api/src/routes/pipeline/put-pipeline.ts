import { operation } from "../../lib/operation.ts";
import { auditStatement } from "../../services/audit.ts";
import { assertNoStranded, pipelineFor, replacePipeline } from "../../services/crm/pipeline.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const putPipeline = operation("putPipeline", async (c, { params, query, body }) => {
  const { companyId } = params;
  const showroomType = query.showroom_type ?? null;
  const { stages } = body;
  const db = await tenantDatabase(c.env, companyId);
  // Projects may not be left in a stage that no longer exists.
  await assertNoStranded(db, showroomType, stages);
  await replacePipeline(db, showroomType, stages);
  await auditStatement(c, {
    companyId,
    action: "pipeline.changed",
    targetType: "pipeline",
    targetId: showroomType ?? "default",
    details: { stages: stages.map((stage) => stage.key) },
  });
  const pipeline = await pipelineFor(db, showroomType);
  return { success: true, showroom_type: pipeline.showroomType, stages: pipeline.stages };
});
