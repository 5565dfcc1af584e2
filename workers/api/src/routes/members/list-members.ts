import { operation } from "../../lib/operation.ts";
import { membersOf, toMemberView } from "../../services/members.ts";

export const listMembers = operation("listMembers", async (c, { params }) => ({
  success: true,
  members: (await membersOf(c, params.companyId)).map(toMemberView),
}));
