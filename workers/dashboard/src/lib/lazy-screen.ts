import { type ComponentType, lazy } from "react";

/**
 * A screen loaded when first shown: each section is its own chunk, so signing in does not download
 * every screen's code (charts, the release uploader's YAML parser, the CRM board). Render it inside
 * <Suspense>.
 */
export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  return lazy(async () => ({ default: await load() }));
}
