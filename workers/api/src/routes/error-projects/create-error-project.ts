import { operation } from "../../lib/operation.ts";
import { createCompanyErrorProject, toErrorProjectView } from "../../services/errors/projects.ts";

export const createErrorProject = operation("createErrorProject", async (c, { params, body }) => ({
  success: true,
  project: toErrorProjectView(c, await createCompanyErrorProject(c, params.companyId, body)),
}));
