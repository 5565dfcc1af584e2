// A destructive action behind an inline confirmation: the first press asks, "Confirm" acts,
// "Cancel" (or Escape) steps back. Focus moves to the question and back, so keyboard users follow.
import { type ReactNode, useEffect, useRef, useState } from "react";

export function ConfirmButton({
  label,
  question,
  confirmLabel = "Confirm",
  onConfirm,
  pending = false,
  className = "button",
}: {
  label: ReactNode;
  /** What the confirmation asks, e.g. "Suspend Acme? Its installations are refused until resumed." */
  question: ReactNode;
  confirmLabel?: string;
  onConfirm: () => unknown;
  pending?: boolean;
  className?: string;
}) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) openerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button ref={openerRef} type="button" className={className} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <fieldset
      className="confirm"
      onKeyDown={(event) => {
        if (event.key === "Escape") setAsking(false);
      }}
    >
      <legend className="confirm-question">{question}</legend>
      <button
        ref={confirmRef}
        type="button"
        className="button button-danger"
        disabled={pending}
        onClick={async () => {
          await onConfirm();
          setAsking(false);
        }}
      >
        {pending ? "Working…" : confirmLabel}
      </button>
      <button type="button" className="button button-quiet" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </fieldset>
  );
}
