// Notification workflows: the built-ins (always present, overridable) and the company's own.
import { NotificationWorkflowKeySchema } from "../notifications/schemas.ts";
import {
  adminErrors,
  bodyErrors,
  CompanyIdParams,
  companyErrors,
  crmErrors,
  define,
} from "../shared/route-contract.ts";
import {
  CreateNotificationWorkflowRequestSchema,
  DeleteNotificationWorkflowResponseSchema,
  NotificationWorkflowListSchema,
  NotificationWorkflowResponseSchema,
  UpdateNotificationWorkflowRequestSchema,
} from "./schemas.ts";

const tenantErrors = [...adminErrors, ...companyErrors, ...crmErrors] as const;
const WorkflowParams = CompanyIdParams.extend({ workflowKey: NotificationWorkflowKeySchema });

export const notificationWorkflowRoutes = {
  listNotificationWorkflows: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/notifications/workflows",
    summary: "The company's workflows: every built-in (with the company's overrides) and its own",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "read" },
    params: CompanyIdParams,
    status: 200,
    response: NotificationWorkflowListSchema,
    errors: tenantErrors,
  }),
  createNotificationWorkflow: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/notifications/workflows",
    summary: "Adds a company workflow (its templates are then saved per channel and locale)",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "manage" },
    params: CompanyIdParams,
    body: CreateNotificationWorkflowRequestSchema,
    status: 201,
    response: NotificationWorkflowResponseSchema,
    errors: [
      ...tenantErrors,
      ...bodyErrors,
      "NOTIFICATION_WORKFLOW_EXISTS",
      "NOTIFICATION_WORKFLOW_BUILT_IN",
    ],
  }),
  getNotificationWorkflow: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/notifications/workflows/{workflowKey}",
    summary: "One workflow",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "read" },
    params: WorkflowParams,
    status: 200,
    response: NotificationWorkflowResponseSchema,
    errors: [...tenantErrors, "NOTIFICATION_WORKFLOW_NOT_FOUND"],
  }),
  updateNotificationWorkflow: define({
    method: "patch",
    path: "/api/admin/companies/{companyId}/notifications/workflows/{workflowKey}",
    summary: "Changes a workflow; on a built-in this stores the company's override",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "manage" },
    params: WorkflowParams,
    body: UpdateNotificationWorkflowRequestSchema,
    status: 200,
    response: NotificationWorkflowResponseSchema,
    errors: [...tenantErrors, ...bodyErrors, "NOTIFICATION_WORKFLOW_NOT_FOUND"],
  }),
  deleteNotificationWorkflow: define({
    method: "delete",
    path: "/api/admin/companies/{companyId}/notifications/workflows/{workflowKey}",
    summary: "Deletes a company workflow and its templates (built-ins cannot be deleted; the history stays)",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "manage" },
    params: WorkflowParams,
    status: 200,
    response: DeleteNotificationWorkflowResponseSchema,
    errors: [...tenantErrors, "NOTIFICATION_WORKFLOW_NOT_FOUND", "NOTIFICATION_WORKFLOW_BUILT_IN"],
  }),
} as const;
