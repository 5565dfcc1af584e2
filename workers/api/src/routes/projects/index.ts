// Projects (CRM) with their assignments, stage moves and history, in the company's tenant database
// (services/crm/projects.ts reads them, services/crm/project-writes.ts writes them).
import type { Operation } from "../../lib/operation.ts";
import { createActivity } from "./create-activity.ts";
import { createProject } from "./create-project.ts";
import { getProject } from "./get-project.ts";
import { getProjectRequirements } from "./get-project-requirements.ts";
import { listActivities } from "./list-activities.ts";
import { listProjects } from "./list-projects.ts";
import { moveProject } from "./move-project.ts";
import { updateProject } from "./update-project.ts";

export const projectsOperations: Operation[] = [
  listProjects,
  createProject,
  getProject,
  getProjectRequirements,
  updateProject,
  moveProject,
  listActivities,
  createActivity,
];
