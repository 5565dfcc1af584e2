// Deletes a company workflow and its templates; built-ins answer 409 (they can only be overridden).
import { operation } from "../../lib/operation.ts";
import { deleteWorkflow } from "../../services/notifications/workflows.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const deleteNotificationWorkflow = operation("deleteNotificationWorkflow", async (c, { params }) => {
  const db = await tenantDatabase(c.env, params.companyId);
  const { deletedTemplates } = await deleteWorkflow(db, params.workflowKey);
  return { success: true, key: params.workflowKey, deleted_templates: deletedTemplates };
});
