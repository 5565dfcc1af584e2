// A company's error-tracking projects: one DSN each, created, listed, renamed and revoked.
import type { Operation } from "../../lib/operation.ts";
import { createErrorProject } from "./create-error-project.ts";
import { listErrorProjects } from "./list-error-projects.ts";
import { revokeErrorProject } from "./revoke-error-project.ts";
import { updateErrorProject } from "./update-error-project.ts";

export const errorProjectsOperations: Operation[] = [
  listErrorProjects,
  createErrorProject,
  updateErrorProject,
  revokeErrorProject,
];
