import { operation } from "../../lib/operation.ts";
import { errorProjectView, revokeCompanyErrorProject } from "../../services/errors/projects.ts";

export const revokeErrorProject = operation("revokeErrorProject", async (c, { params }) => {
  const row = await revokeCompanyErrorProject(c, params.companyId, params.errorProjectId);
  return { success: true, project: await errorProjectView(c, row) };
});
