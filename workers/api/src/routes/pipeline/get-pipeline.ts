import { operation } from "../../lib/operation.ts";
import { pipelineFor } from "../../services/crm/pipeline.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const getPipeline = operation("getPipeline", async (c, { params, query }) => {
  const db = await tenantDatabase(c.env, params.companyId);
  const pipeline = await pipelineFor(db, query.showroom_type ?? null);
  return { success: true, showroom_type: pipeline.showroomType, stages: pipeline.stages };
});
