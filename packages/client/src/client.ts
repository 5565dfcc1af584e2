import {
  ErrorEnvelopeSchema,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type RegisterRequest,
  type RegisterResponse,
  routes,
  type TelemetryBatchRequest,
  type TelemetryIngestResponse,
  type ValidateRequest,
  type ValidateResponse,
} from "@nexus/contracts";
import { NexusApiError, NexusResponseError } from "./errors.ts";
import { type FetchLike, type HttpResponse, type RetryPolicy, retryAfterMs, send } from "./http.ts";

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
  validate(input: ValidateRequest, options?: CallOptions): Promise<ValidateResponse>;
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

/** What the client needs of a zod schema; keeps zod itself out of this package's dependencies. */
interface ResponseSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

interface Route<T> {
  method: string;
  path: string;
  response: ResponseSchema<T>;
}

export function createNexusClient(options: NexusClientOptions): NexusClient {
  const baseUrl = checkedBaseUrl(options.baseUrl);
  const fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const policy: RetryPolicy = {
    timeoutMs: positive("timeoutMs", options.timeoutMs ?? 10_000),
    retries: wholeNumber("retries", options.retries ?? 3),
    backoff: wholeNumber("backoff", options.backoff ?? 250),
    maxDelayMs: wholeNumber("maxDelayMs", options.maxDelayMs ?? 10_000),
  };

  // Inputs are not validated here: the API does that, and a client built against an older contract
  // must not refuse what a newer API accepts.
  async function call<T>(
    route: Route<T>,
    body: unknown,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const response = await send(
      fetch,
      {
        method: route.method.toUpperCase(),
        url: `${baseUrl}${route.path}`,
        headers: {
          accept: "application/json",
          "content-type": "application/json",
          ...(options.userAgent ? { "user-agent": options.userAgent } : {}),
          ...headers,
        },
        body: JSON.stringify(body),
        signal,
      },
      policy,
    );
    return readResponse(response, route.response);
  }

  return {
    register(input, { idempotencyKey = crypto.randomUUID(), signal } = {}) {
      const headers: Record<string, string> = { "idempotency-key": idempotencyKey };
      if (options.credential) headers.authorization = `Bearer ${options.credential}`;
      return call(routes.register, input, headers, signal);
    },
    validate(input, { signal } = {}) {
      return call(routes.validate, input, {}, signal);
    },
    heartbeat(input, installationToken, { signal } = {}) {
      return call(routes.heartbeat, input, { authorization: `Bearer ${installationToken}` }, signal);
    },
    sendTelemetry(batch, credential, { signal } = {}) {
      return call(routes.ingestTelemetry, batch, { authorization: `Bearer ${credential}` }, signal);
    },
  };
}

function readResponse<T>(response: HttpResponse, schema: ResponseSchema<T>): T {
  const { status, body } = response;
  const requestId = response.headers.get("x-request-id") ?? undefined;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new NexusResponseError(`The API answered HTTP ${status} with a body that is not JSON.`, {
      status,
      requestId,
      body,
      cause,
    });
  }
  if (status >= 200 && status < 300) {
    const parsed = schema.safeParse(json);
    if (parsed.success) return parsed.data;
    throw new NexusResponseError(`The API answered HTTP ${status} with a body outside its contract.`, {
      status,
      requestId,
      body,
      cause: parsed.error,
    });
  }
  const envelope = ErrorEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new NexusResponseError(`The API answered HTTP ${status} without an error envelope.`, {
      status,
      requestId,
      body,
      cause: envelope.error,
    });
  }
  const { error } = envelope.data;
  throw new NexusApiError({
    status,
    code: error.code,
    message: error.message,
    details: error.details,
    requestId: error.request_id,
    retryAfterMs: retryAfterMs(response.headers),
  });
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
