// The routes `pnpm bench` measures. To benchmark a new route, add one entry to `benchRoutes`;
// its request may use anything in SeedContext (extend seed.ts if it needs more).
import { routes } from "../packages/contracts/src/routes.ts";

/** What seed.ts created through the API before the load starts. */
export interface SeedContext {
  adminSecret: string;
  companyId: string;
  companyCode: string;
  /** A machine already validated once, so validate takes the re-validate path. */
  machineId: string;
  installationToken: string;
}

export interface BenchRequest {
  path: string;
  headers?: Record<string, string>;
  /** JSON-encoded once; every request of the run sends the same body. */
  body?: unknown;
}

export interface BenchRoute {
  name: string;
  description: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  request: (context: SeedContext) => BenchRequest;
}

/** The no-op every route is compared with: same worker, same middleware, no binding touched. */
export const baselineRoute: BenchRoute = {
  name: "baseline",
  description: `GET ${routes.live.path} (no-op)`,
  method: "GET",
  request: () => ({ path: routes.live.path }),
};

export const benchRoutes: readonly BenchRoute[] = [
  {
    name: "validate",
    description: `POST ${routes.validate.path}, same machine again (re-validate)`,
    method: "POST",
    request: (context) => ({
      path: routes.validate.path,
      body: {
        company_code: context.companyCode,
        machine_id: context.machineId,
        hostname: "bench-host",
        app_version: "1.0.0",
      },
    }),
  },
  {
    name: "heartbeat",
    description: `POST ${routes.heartbeat.path} with the installation token`,
    method: "POST",
    request: (context) => ({
      path: routes.heartbeat.path,
      headers: { authorization: `Bearer ${context.installationToken}` },
      body: { company_code: context.companyCode, machine_id: context.machineId, app_version: "1.0.0" },
    }),
  },
];
