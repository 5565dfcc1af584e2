// The three states every screen has besides its data: loading, failed and empty.
import type { ReactNode } from "react";
import { describeError } from "../lib/api.ts";
import type { AsyncState } from "../lib/use-async.ts";

export function Loading({ label }: { label: string }) {
  return (
    // role="status": screen readers announce it without moving focus.
    <div className="state state-loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  children,
}: {
  error: unknown;
  onRetry?: () => void;
  children?: ReactNode;
}) {
  const { title, detail, requestId } = describeError(error);
  return (
    <div className="state state-error" role="alert">
      <h2>{title}</h2>
      <p>{detail}</p>
      {requestId && <p className="muted small">Request id: {requestId}</p>}
      <div className="state-actions">
        {onRetry && (
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        )}
        {children}
      </div>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** What an async state shows: its error, a loading line, or `children` with the data. */
export function Loaded<T>({
  state,
  loading,
  children,
}: {
  state: AsyncState<T>;
  loading: string;
  children: (data: T) => ReactNode;
}) {
  if (state.error !== undefined) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading label={loading} />;
  return children(state.data);
}
