// Saves a new version of a workflow's template for a channel and locale (checked before it is stored).
import { operation } from "../../lib/operation.ts";
import { saveTemplate, toTemplateView } from "../../services/notifications/templates.ts";
import { actorOf } from "../../services/notifications/trigger.ts";
import { requireWorkflow } from "../../services/notifications/workflows.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const saveNotificationTemplate = operation(
  "saveNotificationTemplate",
  async (c, { params, body, caller }) => {
    const db = await tenantDatabase(c.env, params.companyId);
    await requireWorkflow(db, params.workflowKey);
    const saved = await saveTemplate(db, {
      workflowKey: params.workflowKey,
      channel: params.channel,
      locale: params.locale,
      subject: body.subject,
      body: body.body,
      createdBy: actorOf(caller),
    });
    return { success: true, template: toTemplateView(saved) };
  },
);
