// Signing in, and creating an account (`?mode=create`), e.g. to accept an invitation. Both keep the
// address's `?next=`, where the app goes once the session exists. The pieces of these forms
// (AccountForm, useAccountSubmit, the email and new-password fields) serve the reset page too.
import {
  type ComponentProps,
  type FormEvent,
  type ReactNode,
  type RefObject,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { TextField } from "../components/field.tsx";
import { Link } from "../components/link.tsx";
import { authClient } from "../lib/auth.ts";
import { safeNextPath, useLocation } from "../lib/router.ts";
import { useDocumentTitle } from "./title.ts";
import "../styles/admin.css";

export const MIN_PASSWORD_LENGTH = 10;
const TOO_SHORT = `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`;
const TOO_MANY = "Too many attempts. Wait a minute, then try again.";

/** A refusal from better-auth, as its client returns it. */
type AuthRefusal = { status: number; code?: string | undefined; message?: string | undefined };

/** better-auth's answer in words a person can act on; `failed` names what was tried. */
export function refusalInWords(error: AuthRefusal, failed: string): string {
  if (error.status === 401) return "The email or password is not right.";
  if (error.status === 429) return TOO_MANY;
  if (error.code?.startsWith("USER_ALREADY_EXISTS"))
    return "There is already an account with this email: sign in.";
  if (error.code === "PASSWORD_TOO_SHORT") return TOO_SHORT;
  return error.message || `${failed} failed (HTTP ${error.status}).`;
}

/** The sign-in page's address in a mode, keeping where to go afterwards. */
export function signInHref(mode: "sign-in" | "create", next: string | null): string {
  const params = new URLSearchParams();
  if (mode === "create") params.set("mode", "create");
  if (next) params.set("next", safeNextPath(next));
  const query = params.toString();
  return query ? `/sign-in?${query}` : "/sign-in";
}

/**
 * A public form's submission: one at a time, with its problem in words. `attempt` resolves to the
 * problem to show, or undefined when it went through; a network failure is said as such.
 */
export function useAccountSubmit(attempt: () => Promise<string | undefined>) {
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    try {
      setProblem(await attempt());
    } catch {
      setProblem("Could not reach Nexus Central. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }
  return { problem, busy, submit };
}

/** A ref for the field a page's keyboard user starts typing in. */
export function useFirstField(): RefObject<HTMLInputElement | null> {
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  return field;
}

/** A signed-out page's form: the product, a title, the fields, its problem and its button. */
export function AccountForm({
  title,
  intro,
  form,
  submitLabel,
  busyLabel,
  footer,
  children,
}: {
  title: string;
  intro: ReactNode;
  form: ReturnType<typeof useAccountSubmit>;
  submitLabel: string;
  busyLabel: string;
  footer?: ReactNode;
  children: ReactNode;
}) {
  const problemId = useId();
  return (
    <form
      className="sign-in-card admin-account-card"
      onSubmit={form.submit}
      aria-describedby={form.problem ? problemId : undefined}
    >
      <p className="product">Nexus Central</p>
      <h1>{title}</h1>
      {intro}
      {children}
      {form.problem && (
        <p className="form-error" role="alert" id={problemId}>
          {form.problem}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={form.busy}>
        {form.busy ? busyLabel : submitLabel}
      </button>
      {footer && <p className="admin-account-links">{footer}</p>}
    </form>
  );
}

export function EmailField(props: Omit<ComponentProps<typeof TextField>, "label" | "type">) {
  return <TextField label="Email" type="email" autoComplete="username" required {...props} />;
}

type FieldProps = Omit<ComponentProps<typeof TextField>, "type">;

export function PasswordField(props: FieldProps) {
  return <TextField type="password" autoComplete="new-password" required {...props} />;
}

/** A password being chosen, with its length rule said beside it. */
export function NewPasswordField(props: FieldProps) {
  const hintId = useId();
  return (
    <>
      <PasswordField minLength={MIN_PASSWORD_LENGTH} aria-describedby={hintId} {...props} />
      <p className="muted small" id={hintId}>
        At least {MIN_PASSWORD_LENGTH} characters.
      </p>
    </>
  );
}

export function SignInPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const params = new URLSearchParams(useLocation().split("?")[1] ?? "");
  const next = params.get("next");
  const creating = params.get("mode") === "create";
  const invited = safeNextPath(next).startsWith("/invitations/");
  useDocumentTitle(creating ? "Create an account" : "Sign in");

  return (
    <div className="sign-in">
      {creating ? (
        <CreateAccountForm key="create" next={next} invited={invited} onSignedIn={onSignedIn} />
      ) : (
        <SignInForm
          key="sign-in"
          next={next}
          invited={invited}
          passwordChanged={params.get("reset") === "done"}
          onSignedIn={onSignedIn}
        />
      )}
    </div>
  );
}

interface ModeProps {
  next: string | null;
  /** Arrived from an invitation's page. */
  invited: boolean;
  onSignedIn: () => Promise<void>;
}

function SignInForm({
  next,
  invited,
  passwordChanged,
  onSignedIn,
}: ModeProps & { passwordChanged: boolean }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const emailField = useFirstField();
  const form = useAccountSubmit(async () => {
    const { error } = await authClient.signIn.email({ email: email.trim(), password });
    if (error) return refusalInWords(error, "Signing in");
    await onSignedIn();
    return undefined;
  });
  const wrong = form.problem ? true : undefined;

  return (
    <AccountForm
      title="Sign in"
      form={form}
      submitLabel="Sign in"
      busyLabel="Signing in…"
      intro={
        <>
          {passwordChanged && (
            <p className="admin-success" role="status">
              Your password was changed. Sign in with the new one.
            </p>
          )}
          <p className="muted">
            {invited
              ? "Sign in with the email address your invitation was sent to."
              : "Manage your company's installations, updates and people."}
          </p>
        </>
      }
      footer={
        <>
          <Link href="/reset-password">Forgot your password?</Link>
          <Link href={signInHref("create", next)}>Create an account</Link>
        </>
      }
    >
      <EmailField
        ref={emailField}
        value={email}
        aria-invalid={wrong}
        onChange={(event) => setEmail(event.target.value)}
      />
      <PasswordField
        label="Password"
        autoComplete="current-password"
        value={password}
        aria-invalid={wrong}
        onChange={(event) => setPassword(event.target.value)}
      />
    </AccountForm>
  );
}

function CreateAccountForm({ next, invited, onSignedIn }: ModeProps) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirmBy, setConfirmBy] = useState<string>();
  const nameField = useFirstField();
  const form = useAccountSubmit(async () => {
    if (password.length < MIN_PASSWORD_LENGTH) return TOO_SHORT;
    const { data, error } = await authClient.signUp.email({
      name: name.trim(),
      email: email.trim(),
      password,
      // The confirmation mail's link brings the person back to where they were going.
      callbackURL: `${window.location.origin}${safeNextPath(next)}`,
    });
    if (error) return refusalInWords(error, "Creating the account");
    // No session yet means the API wants the address confirmed before the first sign-in.
    if (data.token) await onSignedIn();
    else setConfirmBy(email.trim());
    return undefined;
  });

  if (confirmBy) {
    return (
      <div className="sign-in-card admin-account-card" role="status">
        <p className="product">Nexus Central</p>
        <h1>Check your email</h1>
        <p>
          We sent a link to <strong>{confirmBy}</strong>. Open it to confirm the address, then sign in.
        </p>
        <Link href={signInHref("sign-in", next)}>Sign in</Link>
      </div>
    );
  }

  return (
    <AccountForm
      title="Create an account"
      form={form}
      submitLabel="Create account"
      busyLabel="Creating your account…"
      intro={
        <p className="muted">
          {invited
            ? "Use the email address your invitation was sent to."
            : "To join a company, use the address its invitation was sent to."}
        </p>
      }
      footer={
        <span>
          Have an account? <Link href={signInHref("sign-in", next)}>Sign in</Link>
        </span>
      }
    >
      <TextField
        ref={nameField}
        label="Name"
        autoComplete="name"
        required
        value={name}
        onChange={(event) => setName(event.target.value)}
      />
      <EmailField autoComplete="email" value={email} onChange={(event) => setEmail(event.target.value)} />
      <NewPasswordField
        label="Password"
        aria-invalid={form.problem ? true : undefined}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
    </AccountForm>
  );
}
