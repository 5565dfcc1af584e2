// Renders a template with a sample payload: the editor's unsaved text, or the template in use.
import { operation } from "../../lib/operation.ts";
import { previewTemplate } from "../../services/notifications/templates.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const previewNotificationTemplate = operation(
  "previewNotificationTemplate",
  async (c, { params, body }) => {
    const db = await tenantDatabase(c.env, params.companyId);
    return { success: true, ...(await previewTemplate(c.env, db, params.companyId, body)) };
  },
);
