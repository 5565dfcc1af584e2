import { useCallback, useRef, useState } from "react";

export interface Action<A extends unknown[], T> {
  /** Runs the action; resolves to its result, or undefined when it failed (the error is kept). */
  run: (...args: A) => Promise<T | undefined>;
  pending: boolean;
  /** The last run's failure, for an <ErrorState> beside the form; cleared by the next run. */
  error: unknown;
  clearError: () => void;
}

/**
 * A button's or form's call to the API: one run at a time (a second click while one is pending is
 * ignored, so nothing is sent twice), with its pending state and failure for the screen to show.
 */
export function useAction<A extends unknown[], T>(perform: (...args: A) => Promise<T>): Action<A, T> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>();
  const running = useRef(false);
  const run = useCallback(
    async (...args: A) => {
      if (running.current) return undefined;
      running.current = true;
      setPending(true);
      setError(undefined);
      try {
        return await perform(...args);
      } catch (failure) {
        setError(failure);
        return undefined;
      } finally {
        running.current = false;
        setPending(false);
      }
    },
    [perform],
  );
  const clearError = useCallback(() => setError(undefined), []);
  return { run, pending, error, clearError };
}
