// A new API key's secret, shown this once: the API keeps only its hash. It stays on screen until
// the person says they have stored it, and lives only in the section's state until then.
import { useEffect, useRef } from "react";
import { OneTimeSecret } from "../../components/one-time-secret.tsx";
import type { CreatedKey } from "./api-keys-form.tsx";

export function NewKeySecret({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  // The secret replaces the form: its heading takes the focus, so the warning is read next.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="panel admin-secret" aria-labelledby="new-key-heading">
      <h2 id="new-key-heading" ref={heading} tabIndex={-1}>
        Your new key “{created.api_key.name}”
      </h2>
      <OneTimeSecret label="The API key" secret={created.key} />
      <p className="muted small">
        Send it as <code className="mono">Authorization: Bearer {created.api_key.prefix}…</code>. If it is
        lost, revoke it and create another.
      </p>
      <button type="button" className="button" onClick={onDone}>
        I have stored the key
      </button>
    </section>
  );
}
