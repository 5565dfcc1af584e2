import { operation } from "../../lib/operation.ts";
import { errorProjectView, renameCompanyErrorProject } from "../../services/errors/projects.ts";

export const updateErrorProject = operation("updateErrorProject", async (c, { params, body }) => {
  const row = await renameCompanyErrorProject(c, params.companyId, params.errorProjectId, body.name);
  return { success: true, project: await errorProjectView(c, row) };
});
