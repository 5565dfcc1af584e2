import { operation } from "../../lib/operation.ts";
import { invite, toInvitationView } from "../../services/members.ts";
import { notifyMemberInvited } from "../../services/notifications/system-events.ts";
import { SYSTEM_USER_ID } from "../../services/organizations.ts";

export const createInvitation = operation("createInvitation", async (c, { params, body, caller }) => {
  // Operators and API keys invite in the platform's name.
  const inviterId = caller.kind === "user" ? caller.userId : SYSTEM_USER_ID;
  const row = await invite(c, params.companyId, { email: body.email, role: body.role, inviterId });
  const event = { id: row.id, organizationId: params.companyId, email: row.email, role: row.role, inviterId };
  c.executionCtx.waitUntil(notifyMemberInvited(c.env, event, null));
  return { success: true, invitation: toInvitationView(row) };
});
