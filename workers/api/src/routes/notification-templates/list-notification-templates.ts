// A workflow's saved template versions (newest first) and its built-in defaults.
import { operation } from "../../lib/operation.ts";
import {
  builtInTemplateViews,
  listTemplateVersions,
  toTemplateView,
} from "../../services/notifications/templates.ts";
import { requireWorkflow } from "../../services/notifications/workflows.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listNotificationTemplates = operation("listNotificationTemplates", async (c, { params }) => {
  const db = await tenantDatabase(c.env, params.companyId);
  await requireWorkflow(db, params.workflowKey);
  return {
    success: true,
    templates: (await listTemplateVersions(db, params.workflowKey)).map(toTemplateView),
    defaults: builtInTemplateViews(params.workflowKey),
  };
});
