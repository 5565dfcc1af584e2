// Notification templates: versions per workflow, channel and locale, and a preview.
import {
  NotificationChannelSchema,
  NotificationLocaleSchema,
  NotificationWorkflowKeySchema,
} from "../notifications/schemas.ts";
import {
  adminErrors,
  bodyErrors,
  CompanyIdParams,
  companyErrors,
  crmErrors,
  define,
} from "../shared/route-contract.ts";
import {
  NotificationTemplateListSchema,
  NotificationTemplatePreviewSchema,
  NotificationTemplateResponseSchema,
  PreviewNotificationTemplateRequestSchema,
  SaveNotificationTemplateRequestSchema,
} from "./schemas.ts";

const tenantErrors = [...adminErrors, ...companyErrors, ...crmErrors] as const;
const WorkflowParams = CompanyIdParams.extend({ workflowKey: NotificationWorkflowKeySchema });
const TemplateParams = WorkflowParams.extend({
  channel: NotificationChannelSchema,
  locale: NotificationLocaleSchema,
});

export const notificationTemplateRoutes = {
  listNotificationTemplates: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/notifications/workflows/{workflowKey}/templates",
    summary: "A workflow's templates: every saved version (newest first) and the built-in defaults",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "read" },
    params: WorkflowParams,
    status: 200,
    response: NotificationTemplateListSchema,
    errors: [...tenantErrors, "NOTIFICATION_WORKFLOW_NOT_FOUND"],
  }),
  saveNotificationTemplate: define({
    method: "put",
    path: "/api/admin/companies/{companyId}/notifications/workflows/{workflowKey}/templates/{channel}/{locale}",
    summary:
      "Saves a new version of the workflow's template for a channel and locale (Liquid; checked before it is stored)",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "manage" },
    params: TemplateParams,
    body: SaveNotificationTemplateRequestSchema,
    status: 201,
    response: NotificationTemplateResponseSchema,
    errors: [
      ...tenantErrors,
      ...bodyErrors,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
      "NOTIFICATION_TEMPLATE_INVALID",
    ],
  }),
  previewNotificationTemplate: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/notifications/templates/preview",
    summary: "Renders a template (the editor's text, or the one in use) with a sample payload",
    tag: "notifications",
    auth: "company",
    permission: { resource: "notifications", action: "read" },
    params: CompanyIdParams,
    body: PreviewNotificationTemplateRequestSchema,
    status: 200,
    response: NotificationTemplatePreviewSchema,
    errors: [
      ...tenantErrors,
      ...bodyErrors,
      "NOTIFICATION_WORKFLOW_NOT_FOUND",
      "NOTIFICATION_TEMPLATE_INVALID",
      "NOTIFICATION_TEMPLATE_NOT_FOUND",
    ],
  }),
} as const;
