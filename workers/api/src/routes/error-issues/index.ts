// A company's error issues (events grouped by fingerprint), their events and their state.
import type { Operation } from "../../lib/operation.ts";
import { getErrorIssue } from "./get-error-issue.ts";
import { listErrorEvents } from "./list-error-events.ts";
import { listErrorIssues } from "./list-error-issues.ts";
import { updateErrorIssue } from "./update-error-issue.ts";

export const errorIssuesOperations: Operation[] = [
  listErrorIssues,
  getErrorIssue,
  updateErrorIssue,
  listErrorEvents,
];
