// What every LLM stand-in answers, whatever its wire format: a deterministic reply, token counts
// from gpt-tokenizer (so a test can predict them, and a stream counts exactly what the matching
// non-stream call counts), and the scenario models that make a provider fail on purpose.
// Web APIs only: the handler also runs as miniflare's outbound service and may be imported by
// workerd tests.
import { countTokens, decode, encode } from "gpt-tokenizer/encoding/o200k_base";

/** Models that answer a failure (or a slow or cut answer) at every stand-in, for fallback tests. */
export const SCENARIO_MODELS = {
  rateLimited: "stand-in-429",
  serverError: "stand-in-500",
  invalidRequest: "stand-in-400",
  slow: "stand-in-slow",
  cut: "stand-in-cut",
} as const;
export type Scenario = keyof typeof SCENARIO_MODELS;

/** How long `stand-in-slow` waits before answering: longer than any gateway timeout in tests. */
export const SLOW_DELAY_MS = 10_000;
/** The `retry-after` (seconds) of every scenario 429. */
export const RETRY_AFTER_SECONDS = 1;
/** The reply starts with this, then the last user message's first `ECHO_CHARS` characters. */
export const REPLY_PREFIX = "Stand-in reply to: ";
export const ECHO_CHARS = 200;
/** Per-message overhead added to the prompt count, as chat formats spend a few tokens per message. */
export const TOKENS_PER_MESSAGE = 3;

export function scenarioOf(model: string): Scenario | null {
  for (const [scenario, name] of Object.entries(SCENARIO_MODELS)) {
    if (name === model) return scenario as Scenario;
  }
  return null;
}

export function isServedModel(fixedModels: readonly string[], model: string): boolean {
  return fixedModels.includes(model) || scenarioOf(model) !== null;
}

/** One message of a request, reduced to its role and its text (non-text parts do not count). */
export interface PromptMessage {
  role: string;
  text: string;
}

export interface StandInUsage {
  /** Includes the cached tokens (OpenAI's and Gemini's convention). */
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
}

export interface StandInReply {
  text: string;
  /** `length`: cut at the request's max tokens; `stop_sequence`: ended before a stop sequence. */
  finish: "stop" | "length" | "stop_sequence";
  stopSequence: string | null;
  usage: StandInUsage;
  /** The text in stream chunks of about four words; joined they are `text`. */
  chunks: string[];
}

/** gpt-tokenizer's count of the messages' texts joined by newlines, plus 3 per message. */
export function countPromptTokens(messages: readonly PromptMessage[]): number {
  const texts = messages.map((message) => message.text);
  return countTokens(texts.join("\n")) + TOKENS_PER_MESSAGE * messages.length;
}

/**
 * A deterministic share of the prompt reported as read from the provider's prompt cache, so
 * accounting of cached tokens is exercised and stream and non-stream calls agree.
 */
export function cachedTokensFor(promptTokens: number): number {
  return promptTokens >= 128 ? Math.floor(promptTokens / 64) * 32 : 0;
}

export function replyText(messages: readonly PromptMessage[]): string {
  const lastUser = messages.findLast((message) => message.role === "user");
  return `${REPLY_PREFIX}${(lastUser?.text ?? "").slice(0, ECHO_CHARS)}`;
}

/** Splits after every fourth word, keeping all whitespace, so the chunks join back to `text`. */
export function chunkText(text: string): string[] {
  const words = text.match(/^\s*\S+\s*|\S+\s*/g);
  if (!words) return text === "" ? [] : [text];
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += 4) {
    chunks.push(words.slice(index, index + 4).join(""));
  }
  return chunks;
}

export function buildReply(
  messages: readonly PromptMessage[],
  limits: { maxTokens?: number | undefined; stop?: readonly string[] | undefined } = {},
): StandInReply {
  let text = replyText(messages);
  let finish: StandInReply["finish"] = "stop";
  let stopSequence: string | null = null;
  // A model stops at the first stop sequence it would produce; the sequence itself is not returned.
  let stopAt = -1;
  for (const sequence of limits.stop ?? []) {
    const at = sequence === "" ? -1 : text.indexOf(sequence);
    if (at >= 0 && (stopAt < 0 || at < stopAt)) {
      stopAt = at;
      stopSequence = sequence;
    }
  }
  if (stopSequence !== null) {
    text = text.slice(0, stopAt);
    finish = "stop_sequence";
  }
  const tokens = encode(text);
  let completionTokens = tokens.length;
  if (limits.maxTokens !== undefined && tokens.length > limits.maxTokens) {
    text = decode(tokens.slice(0, limits.maxTokens));
    completionTokens = limits.maxTokens;
    finish = "length";
    stopSequence = null;
  }
  const promptTokens = countPromptTokens(messages);
  return {
    text,
    finish,
    stopSequence,
    usage: { promptTokens, cachedTokens: cachedTokensFor(promptTokens), completionTokens },
    chunks: chunkText(text),
  };
}

/** A provider's own error answers for the failing scenario models. */
export interface ScenarioErrors {
  /** A 429 with `retry-after: RETRY_AFTER_SECONDS`. */
  rateLimited(): Response;
  serverError(): Response;
  invalidRequest(): Response;
}

/**
 * The scenario answer for `model`: a failure to return at once, or `null` to answer normally
 * (after waiting `SLOW_DELAY_MS` for stand-in-slow; stand-in-cut is cut by the stream writers).
 */
export async function scenarioFailure(
  model: string,
  signal: AbortSignal,
  errors: ScenarioErrors,
): Promise<Response | null> {
  const scenario = scenarioOf(model);
  if (scenario === "rateLimited" || scenario === "serverError" || scenario === "invalidRequest") {
    return errors[scenario]();
  }
  if (scenario === "slow") await sleep(SLOW_DELAY_MS, signal);
  return null;
}

/** How many content chunks `stand-in-cut` sends before its body ends: about half, at least one. */
export function cutChunkCount(chunks: readonly string[]): number {
  return Math.max(1, Math.ceil(chunks.length / 2));
}

/** Resolves after `ms`, or rejects at once when the caller goes away. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * A 200 whose body hands out the given frames one per read, so a consumer sees them arrive in turn
 * (SSE events, or the parts of a streamed JSON array).
 */
export function streamResponse(
  frames: readonly string[],
  contentType: string,
  headers: Record<string, string> = {},
): Response {
  const encoder = new TextEncoder();
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const frame = frames[next];
      next += 1;
      if (frame === undefined) controller.close();
      else controller.enqueue(encoder.encode(frame));
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": contentType, "cache-control": "no-cache", ...headers },
  });
}

/** A random id in the alphabet providers use for theirs (letters and digits). */
export function randomId(length: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
}

export function jsonResponse(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

/** The request's JSON body when it is an object; `null` for anything else (malformed, array…). */
export async function readJsonObject(request: Request): Promise<Record<string, unknown> | null> {
  try {
    const body: unknown = await request.json();
    return isRecord(body) ? body : null;
  } catch {
    return null;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The text of a content value in OpenAI's and Anthropic's shape: a string, or the `text` parts of
 * an array of typed parts (other parts, e.g. images, add nothing). `null` when malformed.
 */
export function partsText(content: unknown): string | null {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return null;
  const texts: string[] = [];
  for (const part of content) {
    if (!isRecord(part) || typeof part.type !== "string") return null;
    if (part.type === "text" && typeof part.text === "string") texts.push(part.text);
  }
  return texts.join("\n");
}

/** A positive integer limit, `undefined` when absent, `null` when present but invalid. */
export function readTokenLimit(value: unknown): number | undefined | null {
  if (value === undefined || value === null) return undefined;
  return typeof value === "number" && Number.isInteger(value) && value >= 1 ? value : null;
}

/** Stop sequences given as one string or a list of strings; `null` when malformed. */
export function readStopSequences(value: unknown): string[] | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value;
  return null;
}
