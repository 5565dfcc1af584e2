// A router for a handful of screens: the History API and one subscription, nothing to configure.
import { useSyncExternalStore } from "react";

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("popstate", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("popstate", listener);
  };
}

const currentLocation = () => `${window.location.pathname}${window.location.search}`;

/** The path and query string, re-rendering on every navigation. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, currentLocation);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return;
  if (options.replace) window.history.replaceState(null, "", to);
  else window.history.pushState(null, "", to);
  for (const listener of listeners) listener();
}

/**
 * Where to go after signing in: only a plain path on this site, so a crafted `?next=` cannot send a
 * freshly signed-in user elsewhere (`//host`, `/\\host`, or either hidden behind whitespace that
 * URL parsing drops).
 */
export function safeNextPath(value: string | null): string {
  return value && /^\/(?![/\\])\S*$/.test(value) ? value : "/";
}
