import { operation } from "../../lib/operation.ts";
import { projectScope } from "../../services/crm/caller.ts";
import { recordActivity } from "../../services/crm/project-writes.ts";
import { loadProject, toActivityView } from "../../services/crm/projects.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const createActivity = operation("createActivity", async (c, { params, body }) => {
  const { companyId, projectId } = params;
  const db = await tenantDatabase(c.env, companyId);
  await loadProject(db, projectId, await projectScope(c, companyId));
  const row = await recordActivity(
    db,
    projectId,
    {
      type: body.type,
      body: body.body ?? null,
      data: body.gps ? { gps: body.gps } : {},
      ...(body.occurred_at ? { occurredAt: Date.parse(body.occurred_at) } : {}),
    },
    c.get("actor"),
  );
  return { success: true, activity: toActivityView(row) };
});
