// A secret the API shows exactly once (a token, a signing secret): shown with a copy button and a
// plain warning, and never kept beyond this screen.
import { useState } from "react";

export function OneTimeSecret({ label, secret }: { label: string; secret: string }) {
  const [copied, setCopied] = useState<"yes" | "failed">();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      // Clipboard access needs a secure context and permission; the text can still be selected.
      setCopied("failed");
    }
  };
  return (
    <div className="one-time-secret" role="status">
      <p>
        <strong>{label}</strong> — copy it now: it is shown only once and cannot be read again.
      </p>
      <div className="one-time-secret-value">
        <code data-testid="one-time-secret">{secret}</code>
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
        {copied === "yes" && <span className="muted">Copied.</span>}
        {copied === "failed" && <span className="muted">Could not copy: select the text instead.</span>}
      </div>
    </div>
  );
}
