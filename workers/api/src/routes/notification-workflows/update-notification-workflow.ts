// Changes a workflow; changing a built-in stores the company's override of it.
import { operation } from "../../lib/operation.ts";
import { toWorkflowView, updateWorkflow } from "../../services/notifications/workflows.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const updateNotificationWorkflow = operation(
  "updateNotificationWorkflow",
  async (c, { params, body }) => {
    const db = await tenantDatabase(c.env, params.companyId);
    return { success: true, workflow: toWorkflowView(await updateWorkflow(db, params.workflowKey, body)) };
  },
);
