// A company's dashboard users and invitations (services/members.ts): the same rows better-auth's
// organization endpoints use, so both views agree.
import type { Operation } from "../../lib/operation.ts";
import { cancelInvitation } from "./cancel-invitation.ts";
import { changeMemberRole } from "./change-member-role.ts";
import { createInvitation } from "./create-invitation.ts";
import { listInvitations } from "./list-invitations.ts";
import { listMembers } from "./list-members.ts";
import { removeMember } from "./remove-member.ts";

export const membersOperations: Operation[] = [
  listMembers,
  changeMemberRole,
  removeMember,
  listInvitations,
  createInvitation,
  cancelInvitation,
];
