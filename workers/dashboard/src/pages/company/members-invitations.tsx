// Invitations: invite someone by email with a role (the API mails them a link to the dashboard's
// invitation page), the pending ones with their expiry and a Cancel, and the past ones folded away.
import { type Company, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useState } from "react";
import { Field } from "../../components/field.tsx";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { callApi, type ResponseOf } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useNow } from "../../lib/timing.ts";
import { useAction } from "../../lib/use-action.ts";
import { EmailField } from "../sign-in.tsx";
import { useChangingList } from "./members-access.ts";
import { ActionProblem, ConfirmAction, type ConfirmWords, ListTable, RoleSelect } from "./members-parts.tsx";
import { type CompanyAccess, mayTry } from "./members-roles.ts";

type Invitation = ResponseOf<typeof routes.listInvitations>["invitations"][number];

const invitationsOf = async (companyId: string, signal: AbortSignal) =>
  (await callApi(routes.listInvitations, { params: { companyId }, signal })).invitations;

async function cancelInvitation(companyId: string, invitation: Invitation): Promise<string> {
  await callApi(routes.cancelInvitation, { params: { companyId, invitationId: invitation.id } });
  return `The invitation to ${invitation.email} is cancelled; its link no longer works.`;
}

export function InvitationsPanel({
  company,
  access,
  roles,
}: {
  company: Company;
  access: CompanyAccess;
  roles: readonly string[];
}) {
  const companyId = company.id;
  const now = useNow();
  const manage = mayTry(access, { resource: "members", action: "manage" });
  const {
    list: invitations,
    action: cancel,
    done,
    setDone,
  } = useChangingList(companyId, invitationsOf, cancelInvitation);
  const { reload } = invitations;

  const isPending = (invitation: Invitation) =>
    invitation.status === "pending" && Date.parse(invitation.expires_at) > now;
  const pending = invitations.data?.filter(isPending) ?? [];
  const past = invitations.data?.filter((invitation) => !isPending(invitation)) ?? [];

  return (
    <section className="panel" aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">Invitations</h2>
      {manage && (
        <InviteForm
          company={company}
          roles={roles}
          onInvited={(email) => {
            setDone(`Invitation sent to ${email}.`);
            reload();
          }}
        />
      )}
      <p className="muted small admin-status" role="status">
        {done}
      </p>
      {cancel.error !== undefined && <ActionProblem error={cancel.error} onDismiss={cancel.clearError} />}
      <Loaded state={invitations} loading="Loading invitations…">
        {() => (
          <>
            {pending.length === 0 ? (
              <EmptyState title="No pending invitations" />
            ) : (
              <ListTable
                caption="Pending invitations, newest first"
                columns={
                  <>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Expires</th>
                    {manage && <th scope="col">Actions</th>}
                  </>
                }
              >
                {pending.map((invitation) => (
                  <tr key={invitation.id}>
                    <th scope="row">{invitation.email}</th>
                    <td className="capitalize">{invitation.role}</td>
                    <td>{formatDateTime(invitation.expires_at)}</td>
                    {manage && (
                      <td>
                        <ConfirmAction
                          words={cancelWords(invitation)}
                          action={cancel}
                          item={invitation}
                          onStart={() => setDone(undefined)}
                        />
                      </td>
                    )}
                  </tr>
                ))}
              </ListTable>
            )}
            {past.length > 0 && <PastInvitations invitations={past} now={now} />}
          </>
        )}
      </Loaded>
    </section>
  );
}

const cancelWords = (invitation: Invitation): ConfirmWords => ({
  verb: "Cancel invitation",
  target: `for ${invitation.email}`,
  question: `Cancel the invitation for ${invitation.email}? Its link stops working.`,
  confirmLabel: "Yes, cancel it",
});

function PastInvitations({ invitations, now }: { invitations: Invitation[]; now: number }) {
  return (
    <details className="admin-past">
      <summary>Past invitations ({invitations.length})</summary>
      <ul className="admin-past-list">
        {invitations.map((invitation) => (
          <li key={invitation.id}>
            <span>{invitation.email}</span>{" "}
            <span className="muted small">
              {invitation.role} · {pastStatus(invitation, now)} · sent {formatDateTime(invitation.created_at)}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}

const PAST_STATUS: Record<string, string> = {
  accepted: "accepted",
  rejected: "declined",
  canceled: "cancelled",
};

function pastStatus(invitation: Invitation, now: number): string {
  if (invitation.status === "pending" && Date.parse(invitation.expires_at) <= now) return "expired";
  return PAST_STATUS[invitation.status] ?? invitation.status;
}

function InviteForm({
  company,
  roles,
  onInvited,
}: {
  company: Company;
  roles: readonly string[];
  onInvited: (email: string) => void;
}) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState("member");
  const invite = useAction(
    useCallback(
      async (address: string, chosen: string) => {
        const { invitation } = await callApi(routes.createInvitation, {
          params: { companyId: company.id },
          body: { email: address, role: chosen },
        });
        return invitation;
      },
      [company.id],
    ),
  );
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const invitation = await invite.run(email.trim(), role);
    if (invitation) {
      setEmail("");
      onInvited(invitation.email);
    }
  };
  return (
    <form className="admin-form" onSubmit={submit} aria-label="Invite someone">
      <p className="muted small admin-form-note">
        They get a mail with a link; they sign in or create an account with that address and accept.
      </p>
      <div className="filters">
        <EmailField autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} />
        <Field label="Role">
          {(id) => (
            <RoleSelect
              id={id}
              roles={roles}
              value={role}
              onChange={(event) => setRole(event.target.value)}
            />
          )}
        </Field>
        <button type="submit" className="button button-primary" disabled={invite.pending}>
          {invite.pending ? "Sending…" : "Send invitation"}
        </button>
      </div>
      {invite.error !== undefined && <ActionProblem error={invite.error} onDismiss={invite.clearError} />}
    </form>
  );
}
