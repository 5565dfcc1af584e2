import { operation } from "../../lib/operation.ts";
import { cancelPendingInvitation, toInvitationView } from "../../services/members.ts";

export const cancelInvitation = operation("cancelInvitation", async (c, { params }) => ({
  success: true,
  invitation: toInvitationView(await cancelPendingInvitation(c, params.companyId, params.invitationId)),
}));
