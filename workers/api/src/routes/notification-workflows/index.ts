// Notification workflows: the built-ins (overridable) and the company's own.
import type { Operation } from "../../lib/operation.ts";
import { createNotificationWorkflow } from "./create-notification-workflow.ts";
import { deleteNotificationWorkflow } from "./delete-notification-workflow.ts";
import { getNotificationWorkflow } from "./get-notification-workflow.ts";
import { listNotificationWorkflows } from "./list-notification-workflows.ts";
import { updateNotificationWorkflow } from "./update-notification-workflow.ts";

export const notificationWorkflowsOperations: Operation[] = [
  listNotificationWorkflows,
  createNotificationWorkflow,
  getNotificationWorkflow,
  updateNotificationWorkflow,
  deleteNotificationWorkflow,
];
