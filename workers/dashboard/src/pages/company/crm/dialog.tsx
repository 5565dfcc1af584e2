// A modal dialog on the browser's own <dialog>: it keeps focus inside, closes on Escape and hands
// focus back to whatever opened it. The control marked `data-autofocus` gets the focus first.
import { type ReactNode, useId, useLayoutEffect, useRef } from "react";

export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  /** Escape closed it; the owner stops rendering it. */
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const removed = useRef(false);
  // Layout effects: showModal before the first paint, close() while the element is still attached
  // (the browser then returns focus to the opener).
  useLayoutEffect(() => {
    const dialog = ref.current;
    removed.current = false;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // React keeps `autoFocus` to itself, so the browser cannot see which control should start.
      dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    }
    return () => {
      removed.current = true;
      dialog?.close();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="crm-dialog"
      aria-labelledby={titleId}
      // The close event also follows the owner removing it; only a close by the user is news.
      onClose={() => {
        if (!removed.current) onClose();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
