// A secret the API shows exactly once (a token, a signing secret): shown with a copy button and a
// plain warning, and never kept beyond this screen.
import { CopyButton } from "./copy-button.tsx";

export function OneTimeSecret({ label, secret }: { label: string; secret: string }) {
  return (
    <div className="one-time-secret" role="status">
      <p>
        <strong>{label}</strong> — copy it now: it is shown only once and cannot be read again.
      </p>
      <div className="one-time-secret-value">
        <code data-testid="one-time-secret">{secret}</code>
        <CopyButton text={secret} />
      </div>
    </div>
  );
}
