// The Nexus API as it ships (bundled by `wrangler deploy --dry-run`) on Miniflare, on a local port
// with its D1, R2 and Durable Objects in a temp dir: the bench's way of running it, reused. For tests
// that need a real client (electron-updater, the CLI) talking HTTP to the real worker.
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Miniflare } from "miniflare";
import { bundleWorker, consumersWorker } from "../bench/build.ts";
import { applyMigrations, startWorker } from "../bench/server.ts";
import { readWorkerConfig } from "../bench/worker-config.ts";
import { generateSecrets } from "../packages/cli/src/commands/secrets.ts";
import {
  type RegisterRequest,
  type RegisterResponse,
  RegisterResponseSchema,
  type ValidateRequest,
  type ValidateResponse,
  ValidateResponseSchema,
} from "../packages/contracts/src/company-app/schemas.ts";
import { routes } from "../packages/contracts/src/routes.ts";
import { llmStandInVars } from "../scripts/llm-stand-ins/handler.ts";
import { type LlmStandIns, startLlmStandIns } from "../scripts/llm-stand-ins/server.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
/** Migrated up front; the API migrates tenant databases itself when it claims one. */
const CENTRAL_DB = "CENTRAL_DB";

export interface LocalSystem {
  /** Origin of the API, e.g. http://127.0.0.1:41234/ */
  url: URL;
  adminSecret: string;
  /** For direct access to the bindings, e.g. `mf.getR2Bucket("ARTIFACTS")`. */
  mf: Miniflare;
  /** The workers' log lines so far, with `captureLogs`. */
  logs: string[];
  /** Origin of the LLM stand-ins the API calls (with `llmStandIns`), e.g. http://127.0.0.1:41235 */
  llmStandInUrl?: string;
  /** One JSON call as the operator (GET without a body, else POST unless `method` says); throws on a non-2xx. */
  asOperator(path: string, body?: unknown, method?: string): Promise<Record<string, unknown>>;
  /** POST /api/company/register as the operator. */
  registerCompany(request?: Partial<RegisterRequest>): Promise<RegisterResponse>;
  /** POST /api/company/validate as the desktop app; the answer carries the installation token. */
  validateMachine(request: ValidateRequest): Promise<ValidateResponse>;
  stop(): Promise<void>;
}

export interface LocalSystemOptions {
  /** Vars over wrangler.toml's (e.g. a shorter flush interval). */
  vars?: Record<string, string>;
  /**
   * Serve the LLM providers' stand-ins on a local port and point the API's LLM base URLs and
   * platform keys at them (`vars` can still override those).
   */
  llmStandIns?: boolean;
  /** Keep the workers' log lines in `logs` (instead of printing them), for tests that read them. */
  captureLogs?: boolean;
}

async function callApi(
  base: URL,
  path: string,
  body: unknown,
  bearer?: string,
  method = body === undefined ? "GET" : "POST",
): Promise<unknown> {
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      "content-type": "application/json",
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} -> ${response.status}: ${text}`);
  return JSON.parse(text);
}

export async function startLocalSystem(options: LocalSystemOptions = {}): Promise<LocalSystem> {
  const tmp = await mkdtemp(join(tmpdir(), "nexus-e2e-"));
  let standIns: LlmStandIns | undefined;
  try {
    const configPath = join(root, "wrangler.toml");
    const config = readWorkerConfig(configPath);
    const bundleEntry = await bundleWorker(configPath, config.main, join(tmp, "bundle"));
    const secrets: Record<string, string> = { ...generateSecrets() };
    const missing = config.requiredSecrets.filter((name) => secrets[name] === undefined);
    if (missing.length > 0) throw new Error(`no generator for the secrets ${missing.join(", ")}`);
    const adminSecret = secrets.NEXUS_ADMIN_SECRET;
    if (!adminSecret) throw new Error("generateSecrets() gave no NEXUS_ADMIN_SECRET");

    // better-auth checks request origins against PUBLIC_URL, so the port is chosen up front.
    const port = await freePort();
    standIns = options.llmStandIns ? await startLlmStandIns() : undefined;
    const llmVars = standIns ? llmStandInVars(standIns.url) : {};
    const logs: string[] = [];
    const { mf, url } = await startWorker({
      ...(options.captureLogs
        ? { onLog: (log: { level: string; message: string }) => logs.push(log.message) }
        : {}),
      config,
      bundleEntry,
      bindings: {
        ...config.vars,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        ...llmVars,
        ...options.vars,
        ...secrets,
      },
      stateDir: join(tmp, "state"),
      port,
      // The consumer shares the API's master key (webhook signing secrets) and its overridden vars.
      companions: [
        await consumersWorker(tmp, { ...options.vars, ENCRYPTION_KEYS: secrets.ENCRYPTION_KEYS ?? "" }),
      ],
    });
    const runningStandIns = standIns;
    const stop = async () => {
      await mf.dispose();
      await runningStandIns?.stop();
      await rm(tmp, { recursive: true, force: true });
    };
    try {
      const migrations = config.d1Migrations.get(CENTRAL_DB);
      if (!migrations) throw new Error(`wrangler.toml has no migrations_dir for ${CENTRAL_DB}`);
      await applyMigrations(mf, CENTRAL_DB, migrations);
    } catch (error) {
      await stop();
      throw error;
    }
    let counter = 0;
    return {
      url,
      adminSecret,
      mf,
      logs,
      ...(runningStandIns ? { llmStandInUrl: runningStandIns.url } : {}),
      stop,
      asOperator: async (path, body, method) =>
        (await callApi(url, path, body, adminSecret, method)) as Record<string, unknown>,
      registerCompany: async (request = {}) => {
        counter += 1;
        return RegisterResponseSchema.parse(
          await callApi(
            url,
            routes.register.path,
            { company_name: `E2E Company ${counter}`, admin_email: `e2e-${counter}@example.com`, ...request },
            adminSecret,
          ),
        );
      },
      validateMachine: async (request) =>
        ValidateResponseSchema.parse(await callApi(url, routes.validate.path, request)),
    };
  } catch (error) {
    await standIns?.stop();
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
