import { operation } from "../../lib/operation.ts";
import { deleteProjectSourceMap } from "../../services/errors/source-maps.ts";

export const deleteSourceMap = operation("deleteSourceMap", async (c, { params, query }) => ({
  success: true,
  source_map: await deleteProjectSourceMap(c, params.companyId, {
    projectId: params.errorProjectId,
    release: query.release,
    name: query.name,
  }),
}));
