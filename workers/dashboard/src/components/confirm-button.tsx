// Destructive actions ask first, in place: "Question? [Confirm] [Cancel]". ConfirmQuestion is the
// question itself (the screen decides when it shows); ConfirmButton is a button that opens it.
// Focus goes into the question when it appears and back to the opener after, and Escape cancels,
// so keyboard and screen reader users follow the same path.
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { ErrorState } from "./states.tsx";

export function ConfirmQuestion({
  question,
  confirmLabel = "Confirm",
  pending = false,
  error,
  onConfirm,
  onCancel,
  focus = "confirm",
  returnFocusTo,
  children,
}: {
  question: ReactNode;
  confirmLabel?: string;
  pending?: boolean;
  /** The last attempt's failure, shown under the question (which stays open to try again). */
  error?: unknown;
  onConfirm: () => unknown;
  onCancel: () => void;
  /** Which button has the focus at first: "cancel" where a slip of Enter would cost most. */
  focus?: "confirm" | "cancel";
  /** The id of the button that asked, which gets the focus back on Cancel. */
  returnFocusTo?: string;
  /** Options of the action (e.g. how long an old secret keeps signing). */
  children?: ReactNode;
}) {
  const cancel = () => {
    onCancel();
    if (returnFocusTo) document.getElementById(returnFocusTo)?.focus();
  };
  const focusIf = (which: "confirm" | "cancel") =>
    // A callback ref runs once, when the button appears.
    which === focus ? (button: HTMLButtonElement | null) => button?.focus() : undefined;
  return (
    <fieldset
      className="confirm"
      onKeyDown={(event) => {
        if (event.key === "Escape") cancel();
      }}
    >
      <legend className="confirm-question">{question}</legend>
      {children}
      <span className="confirm-actions">
        <button
          ref={focusIf("confirm")}
          type="button"
          className="button button-danger"
          disabled={pending}
          onClick={() => void onConfirm()}
        >
          {pending ? "Working…" : confirmLabel}
        </button>
        <button ref={focusIf("cancel")} type="button" className="button button-quiet" onClick={cancel}>
          Cancel
        </button>
      </span>
      {error !== undefined && <ErrorState error={error} />}
    </fieldset>
  );
}

export function ConfirmButton({
  label,
  question,
  confirmLabel,
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
  const openerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (!asking && wasAsking.current) openerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  const cancel = useCallback(() => setAsking(false), []);

  if (!asking) {
    return (
      <button ref={openerRef} type="button" className={className} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <ConfirmQuestion
      question={question}
      confirmLabel={confirmLabel}
      pending={pending}
      onCancel={cancel}
      onConfirm={async () => {
        await onConfirm();
        setAsking(false);
      }}
    />
  );
}
