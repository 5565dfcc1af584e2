import { useEffect, useRef, useState } from "react";

/**
 * Calls `loadMore` when the element given to the returned ref (a sentinel after a list) comes within
 * `rootMargin` of the viewport. Each observer fires once and is replaced when `enabled` turns true
 * again (the caller disables it while a page loads or after a failure), so a sentinel still in view
 * after a short page loads the next, and a failing page is not retried in a loop. Where there is no
 * IntersectionObserver nothing happens: keep a visible "Load more" button beside the list.
 */
export function useInfiniteScroll(
  loadMore: () => unknown,
  enabled: boolean,
  rootMargin = "300px",
): (element: Element | null) => void {
  const [sentinel, setSentinel] = useState<Element | null>(null);
  const latest = useRef(loadMore);
  latest.current = loadMore;

  useEffect(() => {
    if (!sentinel || !enabled || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        latest.current();
      },
      { rootMargin },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [sentinel, enabled, rootMargin]);

  return setSentinel;
}
