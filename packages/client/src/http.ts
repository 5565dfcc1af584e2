// The transport under every call: a per-attempt timeout and retries with backoff. It knows nothing
// of the API's schemas; it hands back the last response, whatever its status, or throws
// NexusNetworkError when no attempt got one.
import { NexusNetworkError } from "./errors.ts";

/** The part of `fetch` the client uses; tests and hosts (Electron, workerd) can pass their own. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface RetryPolicy {
  timeoutMs: number;
  retries: number;
  /** Base delay in ms: attempt n waits a random time up to `backoff * 2^(n-1)`. */
  backoff: number;
  /** No single wait is longer, whether from backoff or from `Retry-After`. */
  maxDelayMs: number;
}

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** JSON text or a file's bytes; sent again as is on a retry, so never a stream. */
  body?: string | Uint8Array | Blob | ArrayBuffer;
  signal?: AbortSignal | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** Read within the attempt's timeout, so a body that stalls counts as a timeout too. */
  body: string;
}

type Attempt = { ok: true; response: HttpResponse } | { ok: false; timedOut: boolean; cause: unknown };

export async function send(
  fetch: FetchLike,
  request: HttpRequest,
  policy: RetryPolicy,
): Promise<HttpResponse> {
  for (let attempt = 1; ; attempt++) {
    const result = await attemptOnce(fetch, request, policy.timeoutMs);
    const mayRetry = attempt <= policy.retries;
    if (result.ok) {
      const delay = mayRetry ? retryDelay(result.response, attempt, policy) : undefined;
      if (delay === undefined) return result.response;
      await sleep(delay, request.signal);
    } else {
      if (!mayRetry) {
        const what = result.timedOut ? `no answer within ${policy.timeoutMs} ms` : String(result.cause);
        throw new NexusNetworkError(`Could not reach ${request.url} after ${attempt} attempt(s): ${what}`, {
          attempts: attempt,
          timedOut: result.timedOut,
          cause: result.cause,
        });
      }
      await sleep(backoffDelay(attempt, policy), request.signal);
    }
  }
}

/** Only answers that may well differ next time are retried; another 4xx would fail the same way. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** `Retry-After` in ms (delay-seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function retryDelay(response: HttpResponse, attempt: number, policy: RetryPolicy): number | undefined {
  if (!isRetryableStatus(response.status)) return undefined;
  const hinted =
    response.status === 429 || response.status === 503 ? retryAfterMs(response.headers) : undefined;
  if (hinted === undefined) return backoffDelay(attempt, policy);
  // Waiting minutes inside one call would freeze the app; the caller gets the hint on the error.
  return hinted <= policy.maxDelayMs ? hinted : undefined;
}

// Full jitter: many installations that lost the API at the same moment must not come back in step.
function backoffDelay(attempt: number, policy: RetryPolicy): number {
  return Math.random() * Math.min(policy.maxDelayMs, policy.backoff * 2 ** (attempt - 1));
}

async function attemptOnce(fetch: FetchLike, request: HttpRequest, timeoutMs: number): Promise<Attempt> {
  const { signal: callerSignal } = request;
  callerSignal?.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`No answer within ${timeoutMs} ms`, "TimeoutError"));
  }, timeoutMs);
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
  try {
    const init: RequestInit = { method: request.method, headers: request.headers, signal: controller.signal };
    if (request.body !== undefined) init.body = request.body;
    // Raced against the signal as well: a host's fetch that ignores it must not hang the app.
    const response = await untilAborted(fetch(request.url, init), controller.signal);
    const body = await untilAborted(response.text(), controller.signal);
    return { ok: true, response: { status: response.status, headers: response.headers, body } };
  } catch (cause) {
    // The caller cancelled: stop at once, with their reason, like fetch itself does.
    if (callerSignal?.aborted) throw callerSignal.reason;
    return { ok: false, timedOut, cause };
  } finally {
    clearTimeout(timer);
    callerSignal?.removeEventListener("abort", onCallerAbort);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener("abort", onAbort, { once: true });
    timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
  });
}
