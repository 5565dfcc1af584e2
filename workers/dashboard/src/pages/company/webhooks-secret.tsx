// A signing secret, shown once (after creating an endpoint or rotating its secret): the API keeps only
// a sealed copy and never answers with it again, so the page says so and offers to copy it.
import { useEffect, useId, useRef, useState } from "react";

export interface RevealedSecret {
  endpointId: string;
  url: string;
  secret: string;
  reason: "created" | "rotated";
}

export function SecretReveal({ revealed, onDone }: { revealed: RevealedSecret; onDone: () => void }) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"copied" | "select" | null>(null);

  // The secret appears away from the button that produced it: take the reader there.
  useEffect(() => heading.current?.focus(), []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(revealed.secret);
      setCopied("copied");
    } catch {
      // No clipboard access (permissions, an old browser): leave it selected for Ctrl+C.
      input.current?.select();
      setCopied("select");
    }
  }

  return (
    <section className="secret-reveal" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} tabIndex={-1} ref={heading}>
        {revealed.reason === "created" ? "Endpoint created: copy its signing secret" : "New signing secret"}
      </h3>
      <p>
        For <span className="mono break">{revealed.url}</span>. This is the only time it is shown: store it
        where your receiver can read it, to verify each delivery's{" "}
        <span className="mono">webhook-signature</span> (Standard Webhooks).
      </p>
      <div className="secret-row">
        <label htmlFor={`${id}-secret`} className="visually-hidden">
          Signing secret
        </label>
        <input
          id={`${id}-secret`}
          ref={input}
          className="mono"
          readOnly
          value={revealed.secret}
          onFocus={(event) => event.target.select()}
        />
        <button type="button" className="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p role="status" className="muted small">
        {copied === "copied"
          ? "Copied to the clipboard."
          : copied === "select"
            ? "Selected: press Ctrl+C (⌘C) to copy."
            : ""}
      </p>
      <button type="button" className="button button-primary" onClick={onDone}>
        I have stored it
      </button>
    </section>
  );
}
