import { useCallback, useEffect, useRef, useState } from "react";

export interface AsyncState<T> {
  /** The last successful result; kept while a reload runs, so tables do not flash empty. */
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs `load` when it changes (callers memoize it with its inputs) and on `reload()`, aborting the
 * previous run so a slow, stale answer never overwrites a newer one.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>): AsyncState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `generation` is the reload trigger (a new value runs the same load again).
  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    load(controller.signal).then(
      (result) => {
        if (controller.signal.aborted) return;
        setData(result);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [load, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, loading, reload };
}

/**
 * Calls `reload` whenever `key` changes after the first render: a row's opened details follow the
 * row as its list is refreshed (a status or attempt count that moved).
 */
export function useReloadOnChange(key: string, reload: () => void): void {
  const shown = useRef(key);
  useEffect(() => {
    if (key === shown.current) return;
    shown.current = key;
    reload();
  }, [key, reload]);
}
