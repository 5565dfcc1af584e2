// Adds a company workflow; a built-in's key or an existing one is refused (409).
import { operation } from "../../lib/operation.ts";
import { createWorkflow, toWorkflowView } from "../../services/notifications/workflows.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const createNotificationWorkflow = operation(
  "createNotificationWorkflow",
  async (c, { params, body }) => ({
    success: true,
    workflow: toWorkflowView(await createWorkflow(await tenantDatabase(c.env, params.companyId), body)),
  }),
);
