import type { PagedList } from "../../../lib/use-paged-list.ts";
import { CompactError } from "./compact-error.tsx";

/** The foot of a paged list that is not a table (a board column, a timeline): its next page. */
export function LoadMore<T>({
  list,
  label,
  className,
}: {
  list: PagedList<T>;
  label: string;
  className: string;
}) {
  const { hasMore, loadingMore, loadMore, moreError } = list;
  if (!hasMore && moreError === undefined) return null;
  return (
    <>
      {moreError === undefined ? null : <CompactError error={moreError} />}
      <button
        type="button"
        className={`button button-quiet ${className}`}
        onClick={loadMore}
        disabled={loadingMore}
      >
        {loadingMore ? "Loading…" : label}
      </button>
    </>
  );
}

/** Says a shown list is loading again (new filters), without hiding what it shows meanwhile. */
export function Updating<T>({ list }: { list: PagedList<T> }) {
  return (
    <span className="muted small" role="status">
      {list.loading && list.data !== undefined ? "Updating…" : null}
    </span>
  );
}
