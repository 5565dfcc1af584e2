import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { auditStatement } from "../../services/audit.ts";
import { requireMembers } from "../../services/crm/members.ts";
import { changeShowroom, SHOWROOM_BODY_LIMIT, showroomViews } from "../../services/crm/showrooms.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const updateShowroom = operation(
  "updateShowroom",
  async (c, { params, body }) => {
    const { companyId, showroomId } = params;
    const db = await tenantDatabase(c.env, companyId);
    const [existing] = await showroomViews(db, showroomId);
    if (!existing) throw new ApiError("NOT_FOUND", `This company has no showroom ${showroomId}.`);
    if (body.member_ids) await requireMembers(c.get("db"), companyId, body.member_ids);
    await changeShowroom(db, showroomId, body);
    await auditStatement(c, {
      companyId,
      action: "showroom.updated",
      targetType: "showroom",
      targetId: showroomId,
      details: { changes: body },
    });
    const [showroom] = await showroomViews(db, showroomId);
    if (!showroom) throw new Error("showroom vanished after update");
    return { success: true, showroom };
  },
  { bodyLimit: SHOWROOM_BODY_LIMIT },
);
