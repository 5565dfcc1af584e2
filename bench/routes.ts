// The routes `pnpm bench` measures. To benchmark a new route, add one entry to `benchRoutes`;
// its request may use anything in SeedContext (extend seed.ts if it needs more).
import { routes } from "../packages/contracts/src/routes.ts";
import { notifyFanoutRoute } from "./notify.ts";
import { RAW_R2_PREFIX } from "./raw-r2-range.ts";
import { searchBenchRoute } from "./search.ts";

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
  /** The LLM gateway's company key and policy, and the provider stand-in it calls. */
  llm: SeededLlm;
  /** The company's error-tracking project (its DSN), for the Sentry ingest. */
  errors: SeededErrorProject;
}

export interface SeededErrorProject {
  projectId: number;
  /** The DSN's public key. */
  publicKey: string;
}

export interface SeededLlm {
  /** A company API key holding `llm:use` (`nxk_…`). */
  apiKey: string;
  /** Origin of the LLM stand-ins (a node server in the bench process), e.g. http://127.0.0.1:41234. */
  standInOrigin: string;
  /** The OpenAI stand-in's base URL and the platform key the API is given for it. */
  openAiBaseUrl: string;
  openAiKey: string;
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
  /** Resolved against the API's origin; an absolute URL (another local server) is taken as is. */
  path: string;
  headers?: Record<string, string>;
  /** JSON-encoded once; every request of the run sends the same body. */
  body?: unknown;
  /** Sent as it is instead of `body` (a body that is not JSON), with its own Content-Type header. */
  rawBody?: string;
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
  /**
   * Also report this route's req/s, p50 and p99 against the named route's, measured in the same run
   * (e.g. the LLM gateway against calling its provider directly); selecting this route runs that
   * one too, before it. The ratio against the no-op baseline stays in the table.
   */
  comparedWith?: string;
}

/**
 * The routes to measure for `--routes` (all when none are named), each preceded by the routes it is
 * compared with, so both are measured in the same run; each route once, in the order given.
 */
export function selectRoutes(
  names: readonly string[],
  known: readonly BenchRoute[] = benchRoutes,
): BenchRoute[] {
  if (names.length === 0) return [...known];
  const byName = (name: string) => {
    const route = known.find((candidate) => candidate.name === name);
    if (!route) {
      throw new Error(`unknown route "${name}"; known: ${known.map((r) => r.name).join(", ")}`);
    }
    return route;
  };
  const withFloors = names.flatMap((name) => {
    const route = byName(name);
    const floors = [route.bytesComparedWith, route.comparedWith].filter(
      (floor): floor is string => floor !== undefined,
    );
    return [...floors.map(byName), route];
  });
  return [...new Set(withFloors)];
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

/** The seed's LLM policy: one alias, one target on the platform's key (the OpenAI stand-in). */
export const BENCH_LLM = { alias: "default", provider: "openai", model: "gpt-4o-mini" } as const;

/** A short non-streamed chat completion: the gateway's overhead, not the provider's work, dominates. */
export const llmChatBody = (model: string) => ({
  model,
  messages: [{ role: "user", content: "Which press needs maintenance first?" }],
});

/** One Sentry envelope as @sentry/node sends it for a thrown error: an event and a session update. */
export function errorEnvelope(eventId: string, release = "bench-app@1.0.0"): string {
  const now = new Date().toISOString();
  const event = {
    event_id: eventId,
    timestamp: Date.now() / 1000,
    platform: "node",
    level: "error",
    release,
    environment: "bench",
    exception: {
      values: [
        {
          type: "TypeError",
          value: "Cannot read properties of undefined (reading 'id')",
          mechanism: { type: "onuncaughtexception", handled: false },
          stacktrace: {
            frames: Array.from({ length: 20 }, (_, i) => ({
              function: `step${i}`,
              filename: `app:///src/module-${i % 5}.js`,
              lineno: 10 + i,
              colno: 5,
              in_app: i > 4,
            })),
          },
        },
      ],
    },
    breadcrumbs: Array.from({ length: 10 }, (_, i) => ({
      category: "console",
      message: `step ${i}`,
      level: "info",
    })),
    tags: { os: "linux" },
    sdk: { name: "sentry.javascript.node", version: "11.12.0" },
  };
  const session = {
    sid: eventId,
    did: "bench-user",
    init: true,
    started: now,
    timestamp: now,
    status: "ok",
    errors: 1,
    attrs: { release, environment: "bench" },
  };
  return [
    JSON.stringify({ event_id: eventId, sent_at: now }),
    JSON.stringify({ type: "event" }),
    JSON.stringify(event),
    JSON.stringify({ type: "session" }),
    JSON.stringify(session),
    "",
  ].join("\n");
}

/** What the SDKs send beside the envelope: the DSN's key, and the envelope's media type. */
export const sentryHeaders = (publicKey: string) => ({
  "content-type": "application/x-sentry-envelope",
  "x-sentry-auth": `Sentry sentry_key=${publicKey}, sentry_version=7, sentry_client=sentry.javascript.node/11.12.0`,
});

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
    name: "llm-direct",
    description: `POST <stand-in>/openai/v1/chat/completions, model "${BENCH_LLM.model}", with the platform key: the OpenAI stand-in alone, non-streamed`,
    method: "POST",
    request: (context) => ({
      path: `${context.llm.openAiBaseUrl}/chat/completions`,
      headers: { authorization: `Bearer ${context.llm.openAiKey}` },
      body: llmChatBody(BENCH_LLM.model),
    }),
  },
  {
    name: "llm-gateway",
    description: `POST ${routes.createChatCompletion.path} with a company API key (llm:use), model "${BENCH_LLM.alias}" -> ${BENCH_LLM.provider} ${BENCH_LLM.model} at the stand-in, non-streamed`,
    method: "POST",
    request: (context) => ({
      path: routes.createChatCompletion.path,
      headers: { authorization: `Bearer ${context.llm.apiKey}` },
      body: llmChatBody(BENCH_LLM.alias),
    }),
    comparedWith: "llm-direct",
  },
  {
    name: "error-envelope",
    description: `POST ${routes.sendErrorEnvelope.path}: a Sentry envelope (an event of 20 frames and a session update) with the DSN's key, queued and its raw body kept in R2`,
    method: "POST",
    request: (context) => ({
      path: routes.sendErrorEnvelope.path.replace("{projectId}", String(context.errors.projectId)),
      headers: sentryHeaders(context.errors.publicKey),
      rawBody: errorEnvelope("0123456789abcdef0123456789abcdef"),
    }),
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
  // Last: its tenant of generated entities is created just before it (run.ts), after the routes above.
  searchBenchRoute,
  // Not a load-generator row: bench/notify.ts adds its users and sockets and times the fan-out itself.
  notifyFanoutRoute,
];
