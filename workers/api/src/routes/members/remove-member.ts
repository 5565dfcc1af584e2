import { operation } from "../../lib/operation.ts";
import { removeFromCompany, toMemberView } from "../../services/members.ts";

export const removeMember = operation("removeMember", async (c, { params }) => ({
  success: true,
  member: toMemberView(await removeFromCompany(c, params.companyId, params.memberId)),
}));
