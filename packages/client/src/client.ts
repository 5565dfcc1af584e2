import type {
  HeartbeatRequest,
  HeartbeatResponse,
  RegisterRequest,
  RegisterResponse,
  TelemetryBatchRequest,
  TelemetryIngestResponse,
  ValidateRequest,
  ValidateResponse,
} from "@nexus/contracts";
import { type FetchLike, type RetryPolicy, send } from "./http.ts";
import {
  type InstallationSecretStore,
  memoryInstallationSecretStore,
  newInstallationSecret,
} from "./installation-secrets.ts";
import { type ResponseSchema, readResponse } from "./response.ts";
// Not the contract's `routes`: that brings every schema, and zod, into an app's bundle.
import { coreRoutes as routes } from "./wire.ts";

export interface NexusClientOptions {
  /** Where the API lives, e.g. `https://central.nexus.example`; a path prefix is kept. */
  baseUrl: string;
  /** Defaults to the global fetch, looked up on each call so late polyfills and mocks apply. */
  fetch?: FetchLike;
  /** Per attempt, including reading the body. Default 10 000. */
  timeoutMs?: number;
  /** Further attempts after the first for network errors, timeouts, 5xx and 429. Default 3. */
  retries?: number;
  /** Base of the exponential backoff in ms (full jitter). Default 250. */
  backoff?: number;
  /** Cap on any single wait, backoff or `Retry-After`. Default 10 000. */
  maxDelayMs?: number;
  /** Admin secret or registration token; only `register` sends it. */
  credential?: string;
  /** Sent as `User-Agent` where the platform allows it (browsers ignore it). */
  userAgent?: string;
  /**
   * Where `validate` keeps each machine's installation secret. Default: in memory, which lasts one
   * run of the app; pass a store backed by the app's private storage so a restarted app can
   * validate again (otherwise the API answers 409 INSTALLATION_BOUND until an admin resets it).
   */
  installationSecrets?: InstallationSecretStore;
}

export interface ValidateOptions extends CallOptions {
  /**
   * A token this installation was given (expired up to 30 days ago is fine): proves the machine
   * when its secret was lost; the API then binds the secret this call sends.
   */
  installationToken?: string;
}

export interface CallOptions {
  /** Cancels the call, including pending retries; it then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface RegisterOptions extends CallOptions {
  /**
   * Makes a repeated `register` (e.g. after the app restarted mid-call) return the first result
   * instead of creating a second company. Default: a new key per call, reused by its retries.
   */
  idempotencyKey?: string;
}

export interface NexusClient {
  register(input: RegisterRequest, options?: RegisterOptions): Promise<RegisterResponse>;
  /**
   * Joins the company, or validates again. Sends the machine's installation secret from the store
   * (proposing and storing a new one on the machine's first validate), and stores one the API answers.
   */
  validate(input: ValidateRequest, options?: ValidateOptions): Promise<ValidateResponse>;
  heartbeat(
    input: HeartbeatRequest,
    installationToken: string,
    options?: CallOptions,
  ): Promise<HeartbeatResponse>;
  /**
   * Machine samples and usage events (202). The API counts a `batch_id` once, so resending the same
   * batch after a lost answer is safe; `createTelemetryBuffer` does that for you.
   */
  sendTelemetry(
    batch: TelemetryBatchRequest,
    credential: string,
    options?: CallOptions,
  ): Promise<TelemetryIngestResponse>;
}

export interface Route<T> {
  method: string;
  path: string;
  response: ResponseSchema<T>;
}

/** A contract path with its `{name}` parameters filled in, URL-encoded. */
export function fillPath(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
}

/** The connection settings every client entry point shares, checked and with their defaults. */
export function connectionOf(
  options: Pick<NexusClientOptions, "baseUrl" | "fetch" | "timeoutMs" | "retries" | "backoff" | "maxDelayMs">,
): { baseUrl: string; fetch: FetchLike; policy: RetryPolicy } {
  return {
    baseUrl: checkedBaseUrl(options.baseUrl),
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    policy: {
      timeoutMs: positive("timeoutMs", options.timeoutMs ?? 10_000),
      retries: wholeNumber("retries", options.retries ?? 3),
      backoff: wholeNumber("backoff", options.backoff ?? 250),
      maxDelayMs: wholeNumber("maxDelayMs", options.maxDelayMs ?? 10_000),
    },
  };
}

/**
 * A JSON request to a contract route, retried by `send` per the policy, its answer read against the
 * route's response schema. Inputs are not validated here: the API does that, and a client built
 * against an older contract must not refuse what a newer API accepts.
 */
export async function callJson<T>(
  connection: { baseUrl: string; fetch: FetchLike; policy: RetryPolicy; userAgent?: string | undefined },
  route: Route<T>,
  body: unknown,
  headers: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<T> {
  const response = await send(
    connection.fetch,
    {
      method: route.method.toUpperCase(),
      url: `${connection.baseUrl}${route.path}`,
      headers: {
        accept: "application/json",
        "content-type": "application/json",
        ...(connection.userAgent ? { "user-agent": connection.userAgent } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
      signal,
    },
    connection.policy,
  );
  return readResponse(response, route.response);
}

export function createNexusClient(options: NexusClientOptions): NexusClient {
  const { baseUrl, fetch, policy } = connectionOf(options);
  const secrets = options.installationSecrets ?? memoryInstallationSecretStore();

  const call = <T>(
    route: Route<T>,
    body: unknown,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ) => callJson({ baseUrl, fetch, policy, userAgent: options.userAgent }, route, body, headers, signal);

  return {
    register(input, { idempotencyKey = crypto.randomUUID(), signal } = {}) {
      const headers: Record<string, string> = { "idempotency-key": idempotencyKey };
      if (options.credential) headers.authorization = `Bearer ${options.credential}`;
      return call(routes.register, input, headers, signal);
    },
    async validate(input, { signal, installationToken } = {}) {
      // Company codes are case-insensitive; the store is keyed by the code as the API spells it.
      const companyCode = input.company_code.trim().toUpperCase();
      let secret = input.installation_secret ?? (await secrets.load(companyCode, input.machine_id));
      if (!secret) {
        secret = newInstallationSecret();
        await secrets.save(companyCode, input.machine_id, secret);
      }
      const headers: Record<string, string> = installationToken
        ? { authorization: `Bearer ${installationToken}` }
        : {};
      const joined = await call(routes.validate, { ...input, installation_secret: secret }, headers, signal);
      const bound = joined.installation.secret ?? secret;
      if (bound !== (await secrets.load(companyCode, input.machine_id))) {
        await secrets.save(companyCode, input.machine_id, bound);
      }
      return joined;
    },
    heartbeat(input, installationToken, { signal } = {}) {
      return call(routes.heartbeat, input, { authorization: `Bearer ${installationToken}` }, signal);
    },
    sendTelemetry(batch, credential, { signal } = {}) {
      return call(routes.ingestTelemetry, batch, { authorization: `Bearer ${credential}` }, signal);
    },
  };
}

function checkedBaseUrl(value: string): string {
  try {
    new URL(value);
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL, got "${value}"`);
  }
  return value.replace(/\/+$/, "");
}

function positive(name: string, value: number): number {
  if (!(value > 0 && Number.isFinite(value))) throw new RangeError(`${name} must be a positive number`);
  return value;
}

function wholeNumber(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`${name} must be a whole number ≥ 0`);
  return value;
}
