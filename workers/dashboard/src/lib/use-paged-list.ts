import { useCallback, useEffect, useRef, useState } from "react";
import { type AsyncState, useAsync } from "./use-async.ts";

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PagedList<T> extends AsyncState<Page<T>> {
  /** The first page and every page loaded after it. */
  items: T[];
  hasMore: boolean;
  loadMore: () => Promise<void>;
  loadingMore: boolean;
  moreError: unknown;
}

/**
 * A cursor-paged list (the API's `next_cursor`): `loadPage` (memoized with its filters) loads the
 * first page whenever it changes; `loadMore` appends the next until the first page is loaded again.
 */
export function usePagedList<T>(
  loadPage: (cursor: string | undefined, signal?: AbortSignal) => Promise<Page<T>>,
): PagedList<T> {
  const first = useAsync(useCallback((signal: AbortSignal) => loadPage(undefined, signal), [loadPage]));
  const [more, setMore] = useState<Page<T>>();
  const [moreError, setMoreError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);
  // A page that arrives after the list was reloaded belongs to the old list: drop it.
  const firstPage = useRef(first.data);
  firstPage.current = first.data;
  useEffect(() => {
    if (first.data === undefined) return;
    setMore(undefined);
    setMoreError(undefined);
  }, [first.data]);

  const cursor = more ? more.nextCursor : (first.data?.nextCursor ?? null);
  const loadMore = useCallback(async () => {
    if (cursor === null) return;
    const startedWith = firstPage.current;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await loadPage(cursor);
      if (firstPage.current !== startedWith) return;
      setMore((previous) => ({
        items: [...(previous?.items ?? []), ...page.items],
        nextCursor: page.nextCursor,
      }));
    } catch (error) {
      if (firstPage.current === startedWith) setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  }, [cursor, loadPage]);

  return {
    ...first,
    items: [...(first.data?.items ?? []), ...(more?.items ?? [])],
    hasMore: cursor !== null,
    loadMore,
    loadingMore,
    moreError,
  };
}

/** Keeps a list fresh: reads it again every `everyMs` while `active`, between loads. */
export function useRefreshWhile(
  active: boolean,
  loading: boolean,
  reload: () => void,
  everyMs: number,
): void {
  useEffect(() => {
    if (!active || loading) return;
    const timer = setTimeout(reload, everyMs);
    return () => clearTimeout(timer);
  }, [active, loading, reload, everyMs]);
}
