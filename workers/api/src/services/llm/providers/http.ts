import { parseSse, type SseEvent } from "../sse.ts";
import type {
  ChatInput,
  Completion,
  ProviderAdapter,
  ProviderCall,
  ProviderFailure,
  StreamEvent,
} from "./types.ts";

const MAX_MESSAGE_CHARS = 300;

/** 429 and 5xx may pass on another target; other 4xx (bad request, bad key) would fail there too. */
export function isRetryableStatus(status: number): boolean {
  // 408 is the upstream's own timeout, which the design treats like ours.
  return status === 408 || status === 429 || status >= 500;
}

export function failure(
  status: number,
  message: string,
  retryable = isRetryableStatus(status),
): ProviderFailure {
  return { ok: false, status, retryable, message };
}

/**
 * Providers echo keys back (OpenAI's 401 shows a masked key with its last characters); the message
 * goes to logs and to the caller, so the key and anything shaped like one is cut out.
 */
export function redactSecrets(text: string, apiKey: string): string {
  let safe = apiKey.length >= 4 ? text.split(apiKey).join("[redacted]") : text;
  safe = safe.replace(/\b(?:sk-|sk_|nxk_)[-_A-Za-z0-9*]{4,}|\bAIza[-_A-Za-z0-9]{20,}/g, "[redacted]");
  return safe.length > MAX_MESSAGE_CHARS ? `${safe.slice(0, MAX_MESSAGE_CHARS)}…` : safe;
}

function upstreamMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (!isRecord(parsed)) return undefined;
    // OpenAI and Gemini: {error: {message}}; Anthropic: {type: "error", error: {message}}.
    const error = parsed.error;
    if (isRecord(error) && typeof error.message === "string") return error.message;
    if (typeof error === "string") return error;
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // Not JSON (a proxy's HTML page): the status alone has to do.
  }
  return undefined;
}

export async function failureFromResponse(
  label: string,
  response: Response,
  apiKey: string,
): Promise<ProviderFailure> {
  const body = await response.text().catch(() => "");
  const detail = upstreamMessage(body);
  const message = `${label} answered ${response.status}${detail ? `: ${detail}` : ""}`;
  return failure(response.status, redactSecrets(message, apiKey));
}

/** A thrown fetch / read: our timeout and network errors may fall back, the client's cancel not. */
export function failureFromError(
  label: string,
  error: unknown,
  signal: AbortSignal,
  apiKey: string,
): ProviderFailure {
  if (signal.aborted) {
    // AbortSignal.timeout's reason is a DOMException, not an Error everywhere: compare by name.
    const reason: unknown = signal.reason;
    const timedOut =
      typeof reason === "object" && reason !== null && "name" in reason && reason.name === "TimeoutError";
    return timedOut
      ? failure(504, `${label} did not answer in time`, true)
      : failure(499, `The call to ${label} was cancelled`, false);
  }
  const detail = error instanceof Error ? error.message : String(error);
  return failure(502, redactSecrets(`${label} could not be reached: ${detail}`, apiKey), true);
}

/** Reads a 2xx JSON body; a body that breaks off or is not JSON counts as an upstream fault. */
async function readJson(
  call: ProviderCall,
  label: string,
  response: Response,
): Promise<{ ok: true; value: Record<string, unknown> } | ProviderFailure> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return failureFromError(label, error, call.signal, call.apiKey);
  }
  const value = parseJsonRecord(text);
  return value
    ? { ok: true, value }
    : failure(502, `${label} answered a body that is not a JSON object`, true);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

export function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

export function parseJsonRecord(data: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(data);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Turns an SSE body into normalised events with a per-provider mapper. A read error (cut
 * connection, timeout, cancel) ends the events quietly: no finish, no usage, so the gateway sees a
 * cut stream and estimates.
 */
export async function* mapSse(
  body: ReadableStream<Uint8Array>,
  mapper: SseMapper,
): AsyncGenerator<StreamEvent> {
  try {
    for await (const event of parseSse(body)) {
      const mapped = mapper.onEvent(event);
      if (mapped === "end") return;
      yield* mapped;
    }
  } catch {
    return;
  }
  if (mapper.onEnd) yield* mapper.onEnd();
}

/** Maps one provider's SSE events; "end" stops reading (the provider's end-of-answer marker). */
export interface SseMapper {
  onEvent(event: SseEvent): StreamEvent[] | "end";
  /** After the body ended normally, for providers whose last event is only known then. */
  onEnd?(): StreamEvent[];
}

/** What an HTTP provider's adapter is made of: its request, its JSON answer, its stream events. */
export interface HttpProvider {
  label: string;
  request(
    call: ProviderCall,
    input: ChatInput,
    stream: boolean,
  ): { url: string; headers: Record<string, string>; body: unknown };
  completion(body: Record<string, unknown>, call: ProviderCall): Completion;
  /** A fresh mapper per stream: mappers keep state (usage seen so far) between events. */
  streamMapper(): SseMapper;
}

export function httpAdapter(provider: HttpProvider): ProviderAdapter {
  const send = async (call: ProviderCall, input: ChatInput, stream: boolean) => {
    const { url, headers, body } = provider.request(call, input, stream);
    let response: Response;
    try {
      response = await call.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
        signal: call.signal,
      });
    } catch (error) {
      return failureFromError(provider.label, error, call.signal, call.apiKey);
    }
    if (!response.ok) return failureFromResponse(provider.label, response, call.apiKey);
    return response;
  };
  return {
    async complete(call, input) {
      const response = await send(call, input, false);
      if (!(response instanceof Response)) return response;
      const read = await readJson(call, provider.label, response);
      return read.ok ? provider.completion(read.value, call) : read;
    },
    async stream(call, input) {
      const response = await send(call, input, true);
      if (!(response instanceof Response)) return response;
      if (!response.body) return failure(502, `${provider.label} answered a stream without a body`, true);
      return { ok: true, events: mapSse(response.body, provider.streamMapper()) };
    },
  };
}
