import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { TextField } from "../components/field.tsx";
import { authClient } from "../lib/auth.ts";
import { useDocumentTitle } from "./title.ts";

/** better-auth's answer in words a person can act on. */
function signInProblem(error: { status: number; message?: string | undefined }): string {
  if (error.status === 401) return "The email or password is not right.";
  if (error.status === 429) return "Too many attempts. Wait a minute, then try again.";
  return error.message || `Signing in failed (HTTP ${error.status}).`;
}

export function SignInPage({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  useDocumentTitle("Sign in");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const emailField = useRef<HTMLInputElement>(null);
  const problemId = useId();

  useEffect(() => emailField.current?.focus(), []);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const { error } = await authClient.signIn.email({ email: email.trim(), password });
      if (error) {
        setProblem(signInProblem(error));
        return;
      }
      await onSignedIn();
    } catch {
      setProblem("Could not reach Nexus Central. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sign-in">
      <form className="sign-in-card" onSubmit={submit} aria-describedby={problem ? problemId : undefined}>
        <p className="product">Nexus Central</p>
        <h1>Sign in</h1>
        <p className="muted">Manage your company's installations, updates and people.</p>
        <TextField
          ref={emailField}
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => setEmail(event.target.value)}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => setPassword(event.target.value)}
        />
        {problem && (
          <p className="form-error" role="alert" id={problemId}>
            {problem}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}
