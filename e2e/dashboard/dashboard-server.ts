// The dashboard as Cloudflare Pages runs it, on Miniflare: the Vite build as static assets and the
// Pages Function compiled by `wrangler pages functions build` (the same compiler `pages deploy`
// uses), its `API` service binding pointed at the API worker of e2e/local-system.ts.
//
// Why not `wrangler pages dev`: it reaches other workers only through wrangler's dev registry, which
// the bundled API on Miniflare does not join; and spawning it costs a second wrangler start-up. Here
// the binding is a workerd "external" service (plain HTTP, WebSocket upgrades included) to the API's
// port, and the dashboard runs in-process next to it.
import { execFile } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { buildDashboard, dashboardRoot } from "../../workers/dashboard/build.ts";
import { readPagesConfig } from "../../workers/dashboard/pages-config.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

export interface DashboardBuild {
  /** The static site (Vite's output). */
  assets: string;
  /** The compiled Pages Functions worker (ES module). */
  worker: string;
}

/** Builds the SPA and compiles the Pages Functions into `dir`. */
export async function buildDashboardForPages(dir: string): Promise<DashboardBuild> {
  const functionsDir = join(dir, "functions");
  await mkdir(functionsDir, { recursive: true });
  const [assets] = await Promise.all([
    buildDashboard(join(dir, "assets")),
    run(
      join(root, "node_modules/.bin/wrangler"),
      ["pages", "functions", "build", join(dashboardRoot, "functions"), "--outdir", functionsDir],
      {
        cwd: dashboardRoot,
        timeout: 60_000,
        env: { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_HIDE_BANNER: "true" },
      },
    ),
  ]);
  return { assets, worker: join(functionsDir, "index.js") };
}

export interface DashboardServer {
  /** The dashboard's origin, e.g. http://127.0.0.1:41235/ */
  url: URL;
  stop(): Promise<void>;
}

export async function startDashboard(options: {
  build: DashboardBuild;
  port: number;
  /** Where the API worker listens (the `API` binding's target). */
  apiUrl: URL;
}): Promise<DashboardServer> {
  const config = readPagesConfig();
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: options.port,
      cf: false,
      telemetry: { enabled: false },
      workers: [
        {
          name: config.name,
          compatibilityDate: config.compatibilityDate,
          // Module names are relative to this root, which must hold the module (workerd refuses "..").
          modulesRoot: dirname(options.build.worker),
          modules: [{ type: "ESModule", path: options.build.worker }],
          serviceBindings: { [config.api.binding]: { external: { address: options.apiUrl.host, http: {} } } },
          // As on Pages: every request goes to the Functions worker first; what no function
          // claims falls through to the static assets, and unknown paths get index.html (SPA).
          assets: {
            directory: options.build.assets,
            binding: "ASSETS",
            run_worker_first: true,
            routerConfig: { has_user_worker: true },
            assetConfig: { not_found_handling: "single-page-application" },
          },
        },
      ],
    }),
  );
  try {
    const url = await mf.ready;
    return { url, stop: () => mf.dispose() };
  } catch (error) {
    await mf.dispose();
    throw error;
  }
}
