// An invitation to a company, opened from its mail (/invitations/{id}). Signed in: what it offers
// (company, role, who invited) with Accept and Decline; accepting opens the company. Signed out:
// what to do, with sign-in and account creation that come back here afterwards.
import { type FormEvent, useCallback, useState } from "react";
import { Link } from "../components/link.tsx";
import { ErrorState, Loaded } from "../components/states.tsx";
import { authClient, authData } from "../lib/auth.ts";
import { navigate } from "../lib/router.ts";
import { useAction } from "../lib/use-action.ts";
import { useAsync } from "../lib/use-async.ts";
import { ConfirmAction, type ConfirmWords } from "./company/members-parts.tsx";
import { roleHeadline } from "./company/members-roles.ts";
import { companyPath } from "./company/section.ts";
import { type InvitationDetails, loadInvitation } from "./invitation-load.ts";
import { signInHref } from "./sign-in.tsx";
import { useDocumentTitle } from "./title.ts";
import "../styles/admin.css";

export const invitationPath = (id: string): string => `/invitations/${encodeURIComponent(id)}`;

export function InvitationSignedOutPage({ invitationId }: { invitationId: string }) {
  useDocumentTitle("Invitation");
  const here = invitationPath(invitationId);
  return (
    <div className="sign-in">
      <div className="sign-in-card admin-account-card">
        <p className="product">Nexus Central</p>
        <h1>You are invited to a company</h1>
        <p>
          To see the invitation and accept it, sign in with the email address it was sent to — or create an
          account with that address if you have none yet.
        </p>
        <Link className="button button-primary" href={signInHref("sign-in", here)}>
          Sign in
        </Link>
        <Link className="button" href={signInHref("create", here)}>
          Create an account
        </Link>
      </div>
    </div>
  );
}

export function InvitationPage({
  invitationId,
  email,
  onSwitchAccount,
}: {
  invitationId: string;
  /** The signed-in person's address. */
  email: string;
  /** Signs out and back in (with the invited address), returning here. */
  onSwitchAccount: () => void;
}) {
  useDocumentTitle("Invitation");
  const state = useAsync(useCallback(() => loadInvitation(invitationId), [invitationId]));
  return (
    <div className="page">
      <h1 tabIndex={-1}>Invitation</h1>
      <div className="panel admin-account-card">
        <Loaded state={state} loading="Loading the invitation…">
          {(loaded) => {
            switch (loaded.kind) {
              case "open":
                return <OpenInvitation invitation={loaded.invitation} />;
              case "unconfirmed":
                return (
                  <ConfirmAddressFirst invitationId={invitationId} email={email} onConfirmed={state.reload} />
                );
              case "other-recipient":
                return (
                  <>
                    <h2>This invitation is for another address</h2>
                    <p>
                      You are signed in as <strong>{email}</strong>. Sign in with the address the invitation
                      was sent to.
                    </p>
                    <button type="button" className="button button-primary" onClick={onSwitchAccount}>
                      Sign out and switch account
                    </button>
                  </>
                );
              case "closed":
                return (
                  <>
                    <h2>This invitation is no longer open</h2>
                    <p>
                      It was accepted, declined or cancelled, or it expired. Ask the person who invited you to
                      send a new one.
                    </p>
                    <Link className="button" href="/">
                      Go to your companies
                    </Link>
                  </>
                );
            }
          }}
        </Loaded>
      </div>
    </div>
  );
}

function OpenInvitation({ invitation }: { invitation: InvitationDetails }) {
  const [declined, setDeclined] = useState(false);
  const accept = useAction(
    useCallback(async () => {
      await authData(authClient.organization.acceptInvitation({ invitationId: invitation.id }));
      navigate(companyPath(invitation.companyId));
    }, [invitation]),
  );
  const decline = useAction(
    useCallback(async (invitationId: string) => {
      await authData(authClient.organization.rejectInvitation({ invitationId }));
      setDeclined(true);
    }, []),
  );

  if (declined) {
    return (
      <>
        <h2 role="status">You declined the invitation to {invitation.companyName}</h2>
        <Link className="button" href="/">
          Go to your companies
        </Link>
      </>
    );
  }
  const problem = accept.error ?? decline.error;
  const acceptOnSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void accept.run();
  };
  return (
    <>
      <h2>Join {invitation.companyName}</h2>
      <dl className="admin-facts">
        <dt>Role</dt>
        <dd>
          <span className="capitalize">{invitation.role}</span>
          <span className="muted small admin-fact-note"> — {roleHeadline(invitation.role)}</span>
        </dd>
        {invitation.inviterEmail && (
          <>
            <dt>Invited by</dt>
            <dd>{invitation.inviterEmail}</dd>
          </>
        )}
        <dt>Sent to</dt>
        <dd>{invitation.email}</dd>
        <dt>Open until</dt>
        <dd>{invitation.expiresAt.toLocaleString("en", { dateStyle: "medium", timeStyle: "short" })}</dd>
      </dl>
      {problem !== undefined && <ErrorState error={problem} />}
      {/* Accepting is the form's one submission; declining asks first. */}
      <form
        className="state-actions"
        onSubmit={acceptOnSubmit}
        aria-label={`Answer the invitation to ${invitation.companyName}`}
      >
        <button type="submit" className="button button-primary" disabled={accept.pending}>
          {accept.pending ? "Joining…" : "Accept"}
        </button>
        <ConfirmAction words={declineWords(invitation.companyName)} action={decline} item={invitation.id} />
      </form>
    </>
  );
}

const declineWords = (companyName: string): ConfirmWords => ({
  verb: "Decline",
  target: `the invitation to ${companyName}`,
  question: `Decline joining ${companyName}? The invitation closes.`,
  confirmLabel: "Yes, decline",
});

function ConfirmAddressFirst({
  invitationId,
  email,
  onConfirmed,
}: {
  invitationId: string;
  email: string;
  onConfirmed: () => void;
}) {
  const [sent, setSent] = useState(false);
  const resend = useAction(
    useCallback(async () => {
      await authData(
        authClient.sendVerificationEmail({
          email,
          callbackURL: `${window.location.origin}${invitationPath(invitationId)}`,
        }),
      );
      setSent(true);
    }, [email, invitationId]),
  );
  return (
    <>
      <h2>Confirm your email address first</h2>
      <p>
        Only a confirmed address can accept an invitation. We mailed a confirmation link to{" "}
        <strong>{email}</strong> when you created your account; opening it brings you back here.
      </p>
      {sent && (
        <p className="admin-success" role="status">
          A new confirmation link is on its way.
        </p>
      )}
      {resend.error !== undefined && <ErrorState error={resend.error} />}
      <div className="state-actions">
        <button type="button" className="button" disabled={resend.pending} onClick={() => void resend.run()}>
          {resend.pending ? "Sending…" : "Send the link again"}
        </button>
        <button type="button" className="button button-quiet" onClick={onConfirmed}>
          I have confirmed it
        </button>
      </div>
    </>
  );
}
