// One workflow, built-in (with the company's override) or the company's own.
import { operation } from "../../lib/operation.ts";
import { requireWorkflow, toWorkflowView } from "../../services/notifications/workflows.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const getNotificationWorkflow = operation("getNotificationWorkflow", async (c, { params }) => ({
  success: true,
  workflow: toWorkflowView(
    await requireWorkflow(await tenantDatabase(c.env, params.companyId), params.workflowKey),
  ),
}));
