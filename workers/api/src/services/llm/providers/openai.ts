import { httpAdapter, isRecord, numberOr, parseJsonRecord, record } from "./http.ts";
import type { ChatInput, Completion, FinishReason, ProviderCall, StreamEvent, TokenUsage } from "./types.ts";

function requestBody(call: ProviderCall, input: ChatInput, stream: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...input.extra, model: call.model, messages: input.messages };
  // The token limit and the stream form are the adapter's own, whatever `extra` carried.
  delete body.max_tokens;
  delete body.max_completion_tokens;
  delete body.stream;
  delete body.stream_options;
  // The caller's own field name is kept: `max_completion_tokens` is what o-series models require,
  // while `max_tokens` is the one every OpenAI-compatible server understands, so it is the default.
  if (input.maxTokens !== undefined) body[input.maxTokensField ?? "max_tokens"] = input.maxTokens;
  if (input.temperature !== undefined) body.temperature = input.temperature;
  if (input.topP !== undefined) body.top_p = input.topP;
  if (input.stop !== undefined && input.stop.length > 0) body.stop = input.stop;
  if (stream) {
    body.stream = true;
    // Always: without it OpenAI streams no usage at all, and the call could not be priced.
    body.stream_options = { include_usage: true };
  }
  return body;
}

export function openAiFinishReason(value: unknown): FinishReason {
  if (value === "length") return "length";
  if (value === "content_filter") return "content_filter";
  if (value === "tool_calls" || value === "function_call") return "tool_calls";
  return "stop";
}

/** OpenAI's `prompt_tokens` already includes the cached ones. */
export function openAiUsage(value: unknown): TokenUsage | null {
  if (!isRecord(value)) return null;
  const input = value.prompt_tokens;
  const output = value.completion_tokens;
  if (typeof input !== "number" || typeof output !== "number") return null;
  const cached = numberOr(record(value.prompt_tokens_details).cached_tokens, 0);
  return { inputTokens: input, cachedTokens: cached, outputTokens: output };
}

function completion(body: Record<string, unknown>, call: ProviderCall): Completion {
  const choice = Array.isArray(body.choices) ? record(body.choices[0]) : {};
  const message = record(choice.message);
  const content = message.content ?? message.refusal;
  return {
    ok: true,
    text: typeof content === "string" ? content : "",
    finishReason: openAiFinishReason(choice.finish_reason),
    usage: openAiUsage(body.usage),
    providerModel: typeof body.model === "string" ? body.model : call.model,
  };
}

export function openAiChunkEvents(chunk: Record<string, unknown>): StreamEvent[] {
  const events: StreamEvent[] = [];
  for (const entry of Array.isArray(chunk.choices) ? chunk.choices : []) {
    const choice = record(entry);
    const content = record(choice.delta).content;
    if (typeof content === "string" && content !== "") events.push({ type: "text", text: content });
    if (typeof choice.finish_reason === "string") {
      events.push({ type: "finish", reason: openAiFinishReason(choice.finish_reason) });
    }
  }
  const usage = openAiUsage(chunk.usage);
  if (usage) events.push({ type: "usage", usage });
  return events;
}

export const openAiAdapter = httpAdapter({
  label: "OpenAI",
  request: (call, input, stream) => ({
    url: `${call.baseUrl.replace(/\/+$/, "")}/chat/completions`,
    headers: { authorization: `Bearer ${call.apiKey}` },
    body: requestBody(call, input, stream),
  }),
  completion,
  streamMapper: () => ({
    onEvent(event) {
      if (event.data === "[DONE]") return "end";
      const chunk = parseJsonRecord(event.data);
      // A mid-stream `{"error": …}` ends the answer; what was counted so far is all there is.
      if (!chunk || chunk.error !== undefined) return "end";
      return openAiChunkEvents(chunk);
    },
  }),
});
