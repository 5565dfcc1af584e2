// Pieces the members, invitation and API keys screens share: a plain table of a short list, a
// destructive action behind ConfirmButton, the role picker, and a failed change said plainly.

import { NexusApiError } from "@nexus/client/errors";
import type { ComponentProps, ReactNode } from "react";
import { ConfirmButton } from "../../components/confirm-button.tsx";
import { ErrorState } from "../../components/states.tsx";
import type { Action } from "../../lib/use-action.ts";

export interface ListTableProps {
  /** For screen readers: what the table lists. */
  caption: string;
  /** The header cells. */
  columns: ReactNode;
  /** The rows. */
  children: ReactNode;
}

/** A short list's table (members, invitations, keys: no paging), scrolling inside itself if need be. */
export function ListTable(props: ListTableProps) {
  return (
    <div className="table-scroll">
      <table className="admin-table">
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>{props.columns}</tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** What a destructive action says: "Revoke" (+ "ERP sync" for screen readers), then asks. */
export interface ConfirmWords {
  verb: string;
  target: string;
  question: string;
  confirmLabel: string;
}

export function ConfirmAction<T>({
  words,
  action,
  item,
  onStart,
}: {
  words: ConfirmWords;
  action: Action<[T], unknown>;
  item: T;
  /** Runs before the action (clearing the previous outcome). */
  onStart?: () => void;
}) {
  return (
    <ConfirmButton
      label={
        <>
          {words.verb}
          <span className="visually-hidden"> {words.target}</span>
        </>
      }
      className="button button-quiet"
      question={words.question}
      confirmLabel={words.confirmLabel}
      pending={action.pending}
      onConfirm={() => {
        onStart?.();
        return action.run(item);
      }}
    />
  );
}

/** A select of role names. */
export function RoleSelect({ roles, ...select }: ComponentProps<"select"> & { roles: readonly string[] }) {
  return (
    <select {...select}>
      {roles.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  );
}

// LAST_OWNER gets its own words: it is the one refusal people meet in normal use, and the fix is
// another step, not a retry.
export function ActionProblem({ error, onDismiss }: { error: unknown; onDismiss: () => void }) {
  const dismiss = (
    <button type="button" className="button button-quiet" onClick={onDismiss}>
      Dismiss
    </button>
  );
  if (error instanceof NexusApiError && error.code === "LAST_OWNER") {
    return (
      <div className="state state-error" role="alert">
        <h2>The company needs an owner</h2>
        <p>{error.message}</p>
        <div className="state-actions">{dismiss}</div>
      </div>
    );
  }
  return <ErrorState error={error}>{dismiss}</ErrorState>;
}
