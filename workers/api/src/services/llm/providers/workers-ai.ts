import {
  failure,
  failureFromError,
  isRecord,
  mapSse,
  parseJsonRecord,
  record,
  type SseMapper,
} from "./http.ts";
import { openAiFinishReason, openAiUsage } from "./openai.ts";
import type {
  ChatInput,
  FinishReason,
  ProviderAdapter,
  ProviderCall,
  ProviderFailure,
  StreamEvent,
} from "./types.ts";

const LABEL = "Workers AI";

/** The one binding method used; model names are runtime strings, not the typed catalogue's keys. */
type AiRun = (
  model: string,
  inputs: Record<string, unknown>,
  options: { signal: AbortSignal },
) => Promise<unknown>;

function inputs(input: ChatInput, stream: boolean): Record<string, unknown> {
  // Workers AI has no stop sequences; its own default max_tokens (256 on many models) applies when
  // the caller set none.
  const body: Record<string, unknown> = { messages: input.messages };
  if (input.maxTokens !== undefined) body.max_tokens = input.maxTokens;
  if (input.temperature !== undefined) body.temperature = input.temperature;
  if (input.topP !== undefined) body.top_p = input.topP;
  if (stream) body.stream = true;
  return body;
}

/**
 * The binding throws errors whose message starts with a Workers AI code ("3040: Capacity
 * temporarily exceeded", "5007: No such model"): 5xxx are about the input and would fail anywhere,
 * capacity and account limits behave as a 429, the rest as an upstream fault.
 */
function failureFromThrow(call: ProviderCall, error: unknown): ProviderFailure {
  if (call.signal.aborted) return failureFromError(LABEL, error, call.signal, call.apiKey);
  const detail = error instanceof Error ? error.message : String(error);
  const code = Number(/\b([1-9]\d{3}):/.exec(detail)?.[1] ?? 0);
  const message = `${LABEL} failed: ${detail.slice(0, 300)}`;
  if (code >= 5000 && code < 6000) return failure(400, message);
  if (code === 3040 || code === 3036) return failure(429, message);
  return failure(502, message, true);
}

/** One binding call; the output is the run's answer as the binding gave it. */
async function invoke(
  call: ProviderCall,
  input: ChatInput,
  stream: boolean,
): Promise<{ ok: true; output: unknown } | ProviderFailure> {
  const ai = call.ai;
  // `wrangler dev` and the tests have no AI binding (it only runs remotely): the target is skipped
  // like an unavailable provider, so the fallback moves on.
  if (!ai) return failure(503, "The Workers AI binding (AI) is not configured in this environment", true);
  try {
    const run = ai.run as unknown as AiRun;
    return {
      ok: true,
      output: await run.call(ai, call.model, inputs(input, stream), { signal: call.signal }),
    };
  } catch (error) {
    return failureFromThrow(call, error);
  }
}

/** Older models answer `{response, usage}`, newer ones the OpenAI chat shape; both are read. */
function usageOf(value: unknown, maxTokens: number | undefined) {
  const usage = openAiUsage(value);
  // The legacy shape has no finish reason; an answer that used up max_tokens was cut by it.
  const finish: FinishReason =
    usage && maxTokens !== undefined && usage.outputTokens >= maxTokens ? "length" : "stop";
  return { usage, finish };
}

function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  // JSON mode answers an object in `response`.
  return value === undefined || value === null ? "" : JSON.stringify(value);
}

async function complete(call: ProviderCall, input: ChatInput): ReturnType<ProviderAdapter["complete"]> {
  const result = await invoke(call, input, false);
  if (!result.ok) return result;
  const output = result.output;
  if (!isRecord(output)) return failure(502, `${LABEL} answered no JSON object`, true);
  const legacy = usageOf(output.usage, input.maxTokens);
  if (Array.isArray(output.choices)) {
    const choice = record(output.choices[0]);
    return {
      ok: true,
      text: textOf(record(choice.message).content),
      finishReason:
        choice.finish_reason === undefined ? legacy.finish : openAiFinishReason(choice.finish_reason),
      usage: legacy.usage,
      providerModel: typeof output.model === "string" ? output.model : call.model,
    };
  }
  return {
    ok: true,
    text: textOf(output.response),
    finishReason: legacy.finish,
    usage: legacy.usage,
    providerModel: call.model,
  };
}

/** `data: {"response": "…"}` lines (or OpenAI chunks), the usage on a late one, then `data: [DONE]`. */
function streamMapper(maxTokens: number | undefined): SseMapper {
  let usage: unknown;
  let finish: FinishReason | undefined;
  return {
    onEvent(event) {
      if (event.data === "[DONE]") {
        const final = usageOf(usage, maxTokens);
        const events: StreamEvent[] = [{ type: "finish", reason: finish ?? final.finish }];
        if (final.usage) events.push({ type: "usage", usage: final.usage });
        return events;
      }
      const chunk = parseJsonRecord(event.data);
      if (!chunk) return [];
      if (chunk.usage !== undefined && chunk.usage !== null) usage = chunk.usage;
      const events: StreamEvent[] = [];
      const text = typeof chunk.response === "string" ? chunk.response : undefined;
      if (text) events.push({ type: "text", text });
      for (const entry of Array.isArray(chunk.choices) ? chunk.choices : []) {
        const choice = record(entry);
        const content = record(choice.delta).content;
        if (typeof content === "string" && content !== "") events.push({ type: "text", text: content });
        if (typeof choice.finish_reason === "string") finish = openAiFinishReason(choice.finish_reason);
      }
      return events;
    },
  };
}

async function stream(call: ProviderCall, input: ChatInput): ReturnType<ProviderAdapter["stream"]> {
  const result = await invoke(call, input, true);
  if (!result.ok) return result;
  const output = result.output;
  if (!(output instanceof ReadableStream)) return failure(502, `${LABEL} answered no stream`, true);
  return { ok: true, events: mapSse(output, streamMapper(input.maxTokens)) };
}

export const workersAiAdapter: ProviderAdapter = { complete, stream };
