// Resetting a forgotten password, reachable signed out. Without a token: ask for a reset mail (the
// answer never says whether the address has an account). The mailed link goes through the API,
// which checks the token and comes back here with `?token=` (or `?error=INVALID_TOKEN` when it is
// used or expired): choose a new password, then sign in with it.
import { type ChangeEvent, useState } from "react";
import { Link } from "../components/link.tsx";
import { authClient } from "../lib/auth.ts";
import { useLocation } from "../lib/router.ts";
import {
  AccountForm,
  EmailField,
  MIN_PASSWORD_LENGTH,
  NewPasswordField,
  PasswordField,
  refusalInWords,
  useAccountSubmit,
  useFirstField,
} from "./sign-in.tsx";
import { useDocumentTitle } from "./title.ts";
import "../styles/admin.css";

const INVALID_LINK = "This reset link no longer works: each link works once, for one hour.";

export function ResetPasswordPage({ onPasswordChanged }: { onPasswordChanged: () => void }) {
  const params = new URLSearchParams(useLocation().split("?")[1] ?? "");
  const token = params.get("token");
  useDocumentTitle(token ? "Choose a new password" : "Reset your password");
  return (
    <div className="sign-in">
      {token ? (
        <NewPasswordForm key={token} token={token} onPasswordChanged={onPasswordChanged} />
      ) : (
        <RequestResetForm linkFailed={params.get("error") !== null} />
      )}
    </div>
  );
}

function RequestResetForm({ linkFailed }: { linkFailed: boolean }) {
  const [email, setEmail] = useState("");
  const [sentTo, setSentTo] = useState<string>();
  const emailField = useFirstField();
  const form = useAccountSubmit(async () => {
    const address = email.trim();
    const { error } = await authClient.requestPasswordReset({
      email: address,
      redirectTo: `${window.location.origin}/reset-password`,
    });
    if (error) return refusalInWords(error, "Asking for a reset");
    setSentTo(address);
    return undefined;
  });

  if (sentTo) {
    return (
      <div className="sign-in-card admin-account-card">
        <p className="product">Nexus Central</p>
        <h1>Check your email</h1>
        <p role="status">
          If <strong>{sentTo}</strong> has an account, a mail with a reset link is on its way. The link works
          once, for one hour.
        </p>
        <p className="admin-account-links">
          <Link href="/sign-in">Back to sign-in</Link>
          <button type="button" className="button button-quiet" onClick={() => setSentTo(undefined)}>
            Use another address
          </button>
        </p>
      </div>
    );
  }

  return (
    <AccountForm
      title="Reset your password"
      form={form}
      submitLabel="Send reset link"
      busyLabel="Sending…"
      intro={
        linkFailed ? (
          <p className="form-error" role="alert">
            {INVALID_LINK} Ask for a new one below.
          </p>
        ) : (
          <p className="muted">
            Enter your account's email address: we mail you a link to choose a new password.
          </p>
        )
      }
      footer={<Link href="/sign-in">Back to sign-in</Link>}
    >
      <EmailField ref={emailField} value={email} onChange={(event) => setEmail(event.target.value)} />
    </AccountForm>
  );
}

function NewPasswordForm({ token, onPasswordChanged }: { token: string; onPasswordChanged: () => void }) {
  const [passwords, setPasswords] = useState({ chosen: "", repeated: "" });
  const bind = (name: keyof typeof passwords) => ({
    value: passwords[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) =>
      setPasswords({ ...passwords, [name]: event.target.value }),
  });
  const [expired, setExpired] = useState(false);
  const passwordField = useFirstField();
  const form = useAccountSubmit(async () => {
    const password = passwords.chosen;
    if (password.length < MIN_PASSWORD_LENGTH)
      return `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
    if (password !== passwords.repeated) return "The two passwords are not the same.";
    const { error } = await authClient.resetPassword({ newPassword: password, token });
    if (error?.code === "INVALID_TOKEN") setExpired(true);
    else if (error) return refusalInWords(error, "Changing the password");
    else onPasswordChanged();
    return undefined;
  });

  if (expired) {
    return (
      <div className="sign-in-card admin-account-card">
        <p className="product">Nexus Central</p>
        <h1>Choose a new password</h1>
        <p className="form-error" role="alert">
          {INVALID_LINK}
        </p>
        <Link className="button button-primary" href="/reset-password">
          Ask for a new link
        </Link>
      </div>
    );
  }

  return (
    <AccountForm
      title="Choose a new password"
      form={form}
      submitLabel="Change password"
      busyLabel="Saving…"
      intro={<p className="muted">You are signed out everywhere once it is changed.</p>}
    >
      <NewPasswordField ref={passwordField} label="New password" {...bind("chosen")} />
      <PasswordField label="Repeat the new password" {...bind("repeated")} />
    </AccountForm>
  );
}
