// A table over a cursor-paged API list, with its loading, error and empty states and "Load more".
import type { ReactNode } from "react";
import type { PagedList } from "../lib/use-paged-list.ts";
import { ErrorState, Loaded } from "./states.tsx";

export function PagedTable<T>({
  list,
  caption,
  columns,
  loading,
  empty,
  row,
}: {
  list: PagedList<T>;
  /** For screen readers: what the table lists. */
  caption: string;
  /** The header cells. */
  columns: ReactNode;
  loading: string;
  /** Shown when the list has no items. */
  empty: ReactNode;
  row: (item: T) => ReactNode;
}) {
  return (
    <Loaded state={list} loading={loading}>
      {() =>
        list.items.length === 0 ? (
          empty
        ) : (
          <>
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">{caption}</caption>
                <thead>
                  <tr>{columns}</tr>
                </thead>
                <tbody>{list.items.map(row)}</tbody>
              </table>
            </div>
            {list.moreError !== undefined && <ErrorState error={list.moreError} onRetry={list.loadMore} />}
            {list.hasMore && (
              <button
                type="button"
                className="button button-quiet load-more"
                onClick={list.loadMore}
                disabled={list.loadingMore}
              >
                {list.loadingMore ? "Loading…" : "Load more"}
              </button>
            )}
          </>
        )
      }
    </Loaded>
  );
}
