import { operation } from "../../lib/operation.ts";
import { changeRole, toMemberView } from "../../services/members.ts";

export const changeMemberRole = operation("changeMemberRole", async (c, { params, body }) => ({
  success: true,
  member: toMemberView(await changeRole(c, params.companyId, params.memberId, body.role)),
}));
