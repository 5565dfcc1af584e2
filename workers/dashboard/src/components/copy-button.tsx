// "Copy" for a text shown on the page (a secret shown once, a DSN), and what became of it: clipboard
// access needs a secure context and permission, and without them the text can still be selected.
import { type ReactNode, useState } from "react";

export function CopyButton({
  text,
  label,
  className = "button",
}: {
  text: string;
  /** Added for screen readers after "Copy" (e.g. "the DSN of Desktop app"). */
  label?: ReactNode;
  className?: string;
}) {
  const [copied, setCopied] = useState<"yes" | "failed">();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  };
  return (
    <>
      <button type="button" className={className} onClick={copy}>
        Copy{label && <span className="visually-hidden"> {label}</span>}
      </button>
      {copied === "yes" && <span className="muted">Copied.</span>}
      {copied === "failed" && <span className="muted">Could not copy: select the text instead.</span>}
    </>
  );
}
