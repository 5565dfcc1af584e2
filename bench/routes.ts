// The routes `pnpm bench` measures. To benchmark a new route, add one entry to `benchRoutes`;
// its request may use anything in SeedContext (extend seed.ts if it needs more).
import { routes } from "../packages/contracts/src/routes.ts";
import { RAW_R2_PREFIX } from "./raw-r2-range.ts";

/** How many installations seed.ts validates for the rotating heartbeat route. */
export const SEEDED_INSTALLATIONS = 50;

/** What seed.ts created through the API before the load starts. */
export interface SeedContext {
  adminSecret: string;
  companyId: string;
  companyCode: string;
  /** A machine already validated once, so validate takes the re-validate path. */
  machineId: string;
  installationToken: string;
  /** That machine's installation secret: a bound machine proves itself with it on re-validate. */
  installationSecret: string;
  /** Subscription tier the company was registered with (its rate limits come from it). */
  tier: string;
  /** Validated installations, the first being `machineId`; rotating routes spread over them. */
  installations: SeededInstallation[];
  /** The company owner's better-auth session cookie, as a signed-in dashboard sends it. */
  ownerCookie: string;
  /** Client IP the API recorded for the seed's requests (CF-Connecting-IP); null if none was set. */
  clientIp: string | null;
  /** A release artifact of a few MB in the newer release, for the range routes. */
  artifact: SeededArtifact;
}

export interface SeededArtifact {
  fileName: string;
  /** Its key in the artifacts bucket, for the raw R2 read. */
  r2Key: string;
  size: number;
}

export interface SeededInstallation {
  machineId: string;
  token: string;
  /** Answered once by its first validate; re-validating the bound machine needs it. */
  secret: string;
}

/** One request shape of a rotating route: merged over the request's headers, replacing its body. */
export interface BenchVariant {
  headers?: Record<string, string>;
  body?: unknown;
}

export interface BenchRequest {
  path: string;
  headers?: Record<string, string>;
  /** JSON-encoded once; every request of the run sends the same body. */
  body?: unknown;
  /** When set, successive requests take these in turn (autocannon's setupRequest). */
  variants?: BenchVariant[];
}

export interface BenchRoute {
  name: string;
  description: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  request: (context: SeedContext) => BenchRequest;
  /**
   * Reads the company's CompanyHub stats before and after the measured run (warm-up excluded) and
   * waits for its pending flush, to report D1 writes and reads per heartbeat.
   */
  hubStats?: boolean;
  /**
   * Also report this route's MB/s against the named route's (its floor); selecting this route runs
   * that one too, before it, in the same run.
   */
  bytesComparedWith?: string;
}

/** Bytes per ranged request: a differential download asks for changed blocks, often a MB or more. */
export const RANGE_BYTES = 1024 * 1024;

/**
 * The `Range` header of the `index`th variant: whole 1 MiB slices of the seeded artifact in turn,
 * the same sequence for the API and the raw R2 read.
 */
function artifactRange(context: SeedContext, index: number): string {
  const slices = Math.max(1, Math.floor(context.artifact.size / RANGE_BYTES));
  const start = (index % slices) * RANGE_BYTES;
  return `bytes=${start}-${start + RANGE_BYTES - 1}`;
}

const heartbeatBody = (context: SeedContext, machineId: string) => ({
  company_code: context.companyCode,
  machine_id: machineId,
  app_version: "1.0.0",
});

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
        installation_secret: context.installationSecret,
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
      body: heartbeatBody(context, context.machineId),
    }),
    hubStats: true,
  },
  {
    name: "heartbeat-rotating",
    description: `POST ${routes.heartbeat.path}, each request the next of ${SEEDED_INSTALLATIONS} installations`,
    method: "POST",
    request: (context) => ({
      path: routes.heartbeat.path,
      variants: context.installations.map((installation) => ({
        headers: { authorization: `Bearer ${installation.token}` },
        body: heartbeatBody(context, installation.machineId),
      })),
    }),
    hubStats: true,
  },
  {
    name: "channel-file",
    description: `GET /api/updates/latest.yml (electron-updater's check), ${SEEDED_INSTALLATIONS} installations in turn, each with its staging id`,
    method: "GET",
    request: (context) => ({
      path: `/api/updates/latest.yml?company_code=${context.companyCode}`,
      variants: context.installations.map((installation, index) => ({
        headers: {
          authorization: `Bearer ${installation.token}`,
          // Spread over the cohort range, so both sides of the seeded 50 % rollout are served.
          "x-user-staging-id": `00000000-0000-4000-8000-0000${Math.floor(
            (index / SEEDED_INSTALLATIONS) * 0xffffffff,
          )
            .toString(16)
            .padStart(8, "0")}`,
        },
      })),
    }),
  },
  {
    name: "floor-noop",
    description: "GET /__floor/noop (bench/floor-worker.ts: a bare Worker, no hono, no middleware)",
    method: "GET",
    request: () => ({ path: "/__floor/noop" }),
  },
  {
    name: "floor-rpc",
    description:
      "GET /__floor/rpc (bench/floor-worker.ts: the bare Worker plus one call to a Durable Object that does nothing)",
    method: "GET",
    request: () => ({ path: "/__floor/rpc" }),
  },
  {
    name: "raw-r2-range",
    description: `GET ${RAW_R2_PREFIX}<key> with Range (bench/raw-r2-worker.ts: BUCKET.get(key, { range }), nothing else)`,
    method: "GET",
    request: (context) => ({
      path: `${RAW_R2_PREFIX}${context.artifact.r2Key}`,
      variants: context.installations.map((_, index) => ({
        headers: { range: artifactRange(context, index) },
      })),
    }),
  },
  {
    name: "artifact-range",
    description: `GET /api/updates/{file} with Range (electron-updater's differential download), ${SEEDED_INSTALLATIONS} installations in turn, 1 MiB each`,
    method: "GET",
    request: (context) => ({
      path: `/api/updates/${encodeURIComponent(context.artifact.fileName)}?company_code=${context.companyCode}`,
      variants: context.installations.map((installation, index) => ({
        headers: { authorization: `Bearer ${installation.token}`, range: artifactRange(context, index) },
      })),
    }),
    bytesComparedWith: "raw-r2-range",
  },
  {
    name: "dashboard-installations",
    description: `GET ${routes.listInstallations.path} as the signed-in owner (session cookie)`,
    method: "GET",
    request: (context) => ({
      path: `/api/admin/companies/${context.companyId}/installations?limit=50`,
      headers: { cookie: context.ownerCookie },
    }),
  },
  {
    name: "dashboard-projects",
    description: `GET ${routes.listProjects.path} as the signed-in owner (the route also asks which projects the caller sees)`,
    method: "GET",
    request: (context) => ({
      path: `/api/admin/companies/${context.companyId}/projects?limit=25`,
      headers: { cookie: context.ownerCookie },
    }),
  },
];
