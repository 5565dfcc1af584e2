import { operation } from "../../lib/operation.ts";
import { listProjectSourceMaps } from "../../services/errors/source-maps.ts";

export const listSourceMaps = operation("listSourceMaps", async (c, { params, query }) => {
  const { maps, truncated } = await listProjectSourceMaps(
    c,
    params.companyId,
    params.errorProjectId,
    query.release,
  );
  return { success: true, source_maps: maps, truncated };
});
