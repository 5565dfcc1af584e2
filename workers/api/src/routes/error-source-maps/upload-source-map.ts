import { operation } from "../../lib/operation.ts";
import { uploadProjectSourceMap } from "../../services/errors/source-maps.ts";

export const uploadSourceMap = operation("uploadSourceMap", async (c, { params, query }) => ({
  success: true,
  source_map: await uploadProjectSourceMap(c, params.companyId, {
    projectId: params.errorProjectId,
    release: query.release,
    name: query.name,
  }),
}));
