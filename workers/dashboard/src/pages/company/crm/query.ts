// Filters kept in the address's query string, so a filtered board or list can be bookmarked, shared
// and restored with Back.
import { type ChangeEvent, useCallback, useEffect, useRef, useState } from "react";
import { navigate, useLocation } from "../../../lib/router.ts";
import { useDebounced } from "../../../lib/timing.ts";

/** `location` (path and query) with `changes` applied; empty or undefined values are removed. */
export function withQuery(location: string, changes: Record<string, string | undefined>): string {
  const [path = "", search = ""] = location.split("?");
  const params = new URLSearchParams(search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === "") params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The query's values and a setter that replaces the history entry (filtering is not a new page). */
export function useQuery(): [URLSearchParams, (changes: Record<string, string | undefined>) => void] {
  const location = useLocation();
  const params = new URLSearchParams(location.split("?")[1] ?? "");
  const set = (changes: Record<string, string | undefined>) =>
    navigate(withQuery(`${window.location.pathname}${window.location.search}`, changes), { replace: true });
  return [params, set];
}

/**
 * A search box bound to one query parameter: the box answers every keystroke, the address (and so
 * the API) follows once typing pauses, and Back or a cleared filter updates the box.
 */
export function useQueryText(
  key: string,
  delayMs = 300,
): { value: string; onChange: (event: ChangeEvent<HTMLInputElement>) => void; clear: () => void } {
  const [params] = useQuery();
  const inAddress = params.get(key) ?? "";
  const [text, setText] = useState(inAddress);
  const settled = useDebounced(text.trim(), delayMs);
  // Only typing writes the address: a value still settling from before Back or "Clear filters"
  // changed the address must not write the old text back.
  const typed = useRef(false);

  useEffect(() => {
    if (!typed.current) return;
    navigate(withQuery(`${window.location.pathname}${window.location.search}`, { [key]: settled }), {
      replace: true,
    });
  }, [settled, key]);

  useEffect(() => {
    typed.current = false;
    setText((current) => (current.trim() === inAddress ? current : inAddress));
  }, [inAddress]);

  const onChange = useCallback((event: ChangeEvent<HTMLInputElement>) => {
    typed.current = true;
    setText(event.target.value);
  }, []);
  const clear = useCallback(() => setText(""), []);
  return { value: text, onChange, clear };
}
