import { operation } from "../../lib/operation.ts";
import { invitationsOf, toInvitationView } from "../../services/members.ts";

export const listInvitations = operation("listInvitations", async (c, { params }) => ({
  success: true,
  invitations: (await invitationsOf(c, params.companyId)).map(toInvitationView),
}));
