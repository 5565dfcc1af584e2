import { operation } from "../../lib/operation.ts";
import { auditStatement } from "../../services/audit.ts";
import { requireMembers } from "../../services/crm/members.ts";
import { insertShowroom, SHOWROOM_BODY_LIMIT, showroomViews } from "../../services/crm/showrooms.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const createShowroom = operation(
  "createShowroom",
  async (c, { params, body }) => {
    const { companyId } = params;
    await requireMembers(c.get("db"), companyId, body.member_ids);
    const db = await tenantDatabase(c.env, companyId);
    const id = await insertShowroom(db, body);
    await auditStatement(c, {
      companyId,
      action: "showroom.created",
      targetType: "showroom",
      targetId: id,
      details: { name: body.name },
    });
    const [showroom] = await showroomViews(db, id);
    if (!showroom) throw new Error("showroom vanished after insert");
    return { success: true, showroom };
  },
  { bodyLimit: SHOWROOM_BODY_LIMIT },
);
