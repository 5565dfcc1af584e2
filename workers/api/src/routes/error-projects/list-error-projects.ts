import { operation } from "../../lib/operation.ts";
import { listCompanyErrorProjects } from "../../services/errors/projects.ts";

export const listErrorProjects = operation("listErrorProjects", async (c, { params }) => ({
  success: true,
  projects: await listCompanyErrorProjects(c, params.companyId),
}));
