import type { ReactNode } from "react";
import { describeError } from "../../../lib/api.ts";

/** A failure in a small space (a card, a form's foot): the API's words in one paragraph. */
export function CompactError({ error, children }: { error: unknown; children?: ReactNode }) {
  const { title, detail } = describeError(error);
  return (
    <div className="unmet" role="alert">
      <p>
        <strong>{title}.</strong> {detail}
      </p>
      {children}
    </div>
  );
}
