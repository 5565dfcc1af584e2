// Builds the SPA with Vite's JS API, for `pnpm dev` and the browser tests (no separate build step to
// forget on a clean clone).
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

export const dashboardRoot = fileURLToPath(new URL(".", import.meta.url));

/** Writes the static site to `outDir` (default: dist/, what the Pages project deploys). */
export async function buildDashboard(outDir = join(dashboardRoot, "dist")): Promise<string> {
  await build({
    root: dashboardRoot,
    configFile: join(dashboardRoot, "vite.config.ts"),
    logLevel: "warn",
    // Vite follows NODE_ENV, which vitest sets to "test": that would bundle React's development
    // build and development JSX. Tests and `pnpm dev` get the bundle that deploys.
    mode: "production",
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    oxc: { jsx: { development: false } },
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
