// Reading an invitation for its invitee, through better-auth's organization endpoints, as one of the
// states the invitation page shows.
import { AuthRequestError, authClient } from "../lib/auth.ts";

export interface InvitationDetails {
  id: string;
  email: string;
  role: string;
  companyId: string;
  companyName: string;
  /** Unknown for invitations Nexus Central itself sent (a new company's owner). */
  inviterEmail: string | undefined;
  expiresAt: Date;
}

export type InvitationState =
  | { kind: "open"; invitation: InvitationDetails }
  /** better-auth lets only confirmed addresses see or answer invitations. */
  | { kind: "unconfirmed" }
  /** Signed in with another address than the invited one. */
  | { kind: "other-recipient" }
  /** Accepted, declined, cancelled or expired. */
  | { kind: "closed" };

export async function loadInvitation(id: string): Promise<InvitationState> {
  const { data, error } = await authClient.organization.getInvitation({ query: { id } });
  if (data) {
    return {
      kind: "open",
      invitation: {
        id: data.id,
        email: data.email,
        role: data.role,
        companyId: data.organizationId,
        companyName: data.organizationName,
        inviterEmail: data.inviterEmail,
        expiresAt: new Date(data.expiresAt),
      },
    };
  }
  switch (error?.code) {
    case "EMAIL_VERIFICATION_REQUIRED_FOR_INVITATION":
      return { kind: "unconfirmed" };
    case "YOU_ARE_NOT_THE_RECIPIENT_OF_THE_INVITATION":
      return { kind: "other-recipient" };
    case "INVITATION_NOT_FOUND":
      return { kind: "closed" };
    // A new company's owner invitation comes from Nexus Central's own user, which is no member of
    // the company, and getInvitation refuses those; the invitee's own list still has it.
    case "INVITER_IS_NO_LONGER_A_MEMBER_OF_THE_ORGANIZATION":
      return fromOwnInvitations(id);
    default:
      throw new AuthRequestError(error ?? { status: 500 });
  }
}

async function fromOwnInvitations(id: string): Promise<InvitationState> {
  const { data, error } = await authClient.organization.listUserInvitations();
  if (error) throw new AuthRequestError(error);
  const found = data.find((invitation) => invitation.id === id);
  if (!found) return { kind: "closed" };
  return {
    kind: "open",
    invitation: {
      id: found.id,
      email: found.email,
      role: found.role,
      companyId: found.organizationId,
      companyName: found.organizationName,
      inviterEmail: undefined,
      expiresAt: new Date(found.expiresAt),
    },
  };
}
