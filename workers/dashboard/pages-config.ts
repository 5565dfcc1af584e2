// The Pages project's settings from its wrangler.jsonc, for the tools that run it locally (`pnpm dev`
// and the browser tests), so the API binding's name and target live in one place.
import { join } from "node:path";
import { unstable_readConfig } from "wrangler";
import { dashboardRoot } from "./build.ts";

export interface PagesConfig {
  name: string;
  compatibilityDate: string;
  /** The service binding the /api proxy forwards through, and the worker it names. */
  api: { binding: string; service: string };
}

export function readPagesConfig(): PagesConfig {
  const path = join(dashboardRoot, "wrangler.jsonc");
  const config = unstable_readConfig({ config: path }, { hideWarnings: true });
  const api = config.services?.[0];
  if (!config.name || !config.compatibility_date || !api?.service) {
    throw new Error(`${path} needs a name, a compatibility_date and the API in services`);
  }
  return {
    name: config.name,
    compatibilityDate: config.compatibility_date,
    api: { binding: api.binding, service: api.service },
  };
}
