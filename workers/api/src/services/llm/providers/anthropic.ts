import { httpAdapter, isRecord, numberOr, parseJsonRecord, record, type SseMapper } from "./http.ts";
import type { ChatInput, Completion, FinishReason, ProviderCall, StreamEvent, TokenUsage } from "./types.ts";

const API_VERSION = "2023-06-01";
// The Messages API requires max_tokens; OpenAI callers may leave it out.
const DEFAULT_MAX_TOKENS = 4096;

type AnthropicMessage = { role: "user" | "assistant"; content: string };

function requestBody(call: ProviderCall, input: ChatInput, stream: boolean): Record<string, unknown> {
  const system = input.messages
    .filter((message) => message.role === "system")
    .map((message) => message.content);
  const messages: AnthropicMessage[] = [];
  for (const message of input.messages) {
    if (message.role === "system") continue;
    const previous = messages.at(-1);
    // Same-role neighbours (possible once system and tool messages are gone) are one turn to Anthropic.
    if (previous && previous.role === message.role) previous.content += `\n\n${message.content}`;
    else messages.push({ role: message.role, content: message.content });
  }
  const body: Record<string, unknown> = {
    model: call.model,
    max_tokens: input.maxTokens ?? DEFAULT_MAX_TOKENS,
    messages,
  };
  if (system.length > 0) body.system = system.join("\n\n");
  if (input.temperature !== undefined) body.temperature = input.temperature;
  if (input.topP !== undefined) body.top_p = input.topP;
  if (input.stop !== undefined && input.stop.length > 0) body.stop_sequences = input.stop;
  if (stream) body.stream = true;
  return body;
}

export function anthropicFinishReason(value: unknown): FinishReason {
  if (value === "max_tokens" || value === "model_context_window_exceeded") return "length";
  if (value === "refusal") return "content_filter";
  if (value === "tool_use") return "tool_calls";
  // end_turn, stop_sequence, pause_turn.
  return "stop";
}

/** Anthropic counts cache reads and writes apart from `input_tokens`; ours includes them. */
export function anthropicUsage(value: unknown): TokenUsage | null {
  if (!isRecord(value) || typeof value.input_tokens !== "number" || typeof value.output_tokens !== "number") {
    return null;
  }
  const cacheRead = numberOr(value.cache_read_input_tokens, 0);
  const cacheWrite = numberOr(value.cache_creation_input_tokens, 0);
  return {
    inputTokens: value.input_tokens + cacheRead + cacheWrite,
    cachedTokens: cacheRead,
    outputTokens: value.output_tokens,
  };
}

function completion(body: Record<string, unknown>, call: ProviderCall): Completion {
  let text = "";
  for (const block of Array.isArray(body.content) ? body.content : []) {
    const part = record(block);
    if (part.type === "text" && typeof part.text === "string") text += part.text;
  }
  return {
    ok: true,
    text,
    finishReason: anthropicFinishReason(body.stop_reason),
    usage: anthropicUsage(body.usage),
    providerModel: typeof body.model === "string" ? body.model : call.model,
  };
}

/**
 * message_start carries the input side of the usage, message_delta the final output count (and,
 * in newer API versions, the input side again); both are merged so stream and JSON agree.
 */
function streamMapper(): SseMapper {
  let usage: Record<string, unknown> = {};
  return {
    onEvent(event) {
      const payload = parseJsonRecord(event.data);
      if (!payload) return [];
      switch (payload.type) {
        case "message_start":
          usage = { ...record(record(payload.message).usage) };
          return [];
        case "content_block_delta": {
          const delta = record(payload.delta);
          return delta.type === "text_delta" && typeof delta.text === "string" && delta.text !== ""
            ? [{ type: "text", text: delta.text }]
            : [];
        }
        case "message_delta": {
          for (const [name, value] of Object.entries(record(payload.usage))) {
            if (typeof value === "number") usage[name] = value;
          }
          const events: StreamEvent[] = [];
          const stopReason = record(payload.delta).stop_reason;
          if (typeof stopReason === "string")
            events.push({ type: "finish", reason: anthropicFinishReason(stopReason) });
          const total = anthropicUsage(usage);
          if (total) events.push({ type: "usage", usage: total });
          return events;
        }
        case "message_stop":
          return "end";
        // An overloaded_error mid-stream: the answer stops here, as a cut one.
        case "error":
          return "end";
        default:
          return [];
      }
    },
  };
}

export const anthropicAdapter = httpAdapter({
  label: "Anthropic",
  request: (call, input, stream) => ({
    url: `${call.baseUrl.replace(/\/+$/, "")}/v1/messages`,
    headers: { "x-api-key": call.apiKey, "anthropic-version": API_VERSION },
    body: requestBody(call, input, stream),
  }),
  completion,
  streamMapper,
});
