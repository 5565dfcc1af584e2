// Every workflow the company can trigger: the built-ins (with its overrides) and its own.
import { operation } from "../../lib/operation.ts";
import { listWorkflows, toWorkflowView } from "../../services/notifications/workflows.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listNotificationWorkflows = operation("listNotificationWorkflows", async (c, { params }) => ({
  success: true,
  workflows: (await listWorkflows(await tenantDatabase(c.env, params.companyId))).map(toWorkflowView),
}));
