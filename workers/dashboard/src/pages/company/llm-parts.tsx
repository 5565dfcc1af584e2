// Controls the LLM screens share: a panel's Refresh button (filters use FilterSelect from field.tsx).
import type { AsyncState } from "../../lib/use-async.ts";

/** Reads a panel's data again; says so while it does. */
export function RefreshButton({ state }: { state: Pick<AsyncState<unknown>, "reload" | "loading"> }) {
  return (
    <button
      type="button"
      className="button button-quiet panel-action"
      onClick={state.reload}
      disabled={state.loading}
    >
      {state.loading ? "Refreshing…" : "Refresh"}
    </button>
  );
}
