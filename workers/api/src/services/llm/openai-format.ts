// The OpenAI Chat Completions format on both sides of the gateway: the request normalised for the
// provider adapters, and the answers (a completion, stream chunks, usage) rendered in OpenAI's shapes
// whatever provider produced them, so the official SDKs read every target alike.
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  CompletionUsage,
} from "@nexus/contracts";
import { ApiError } from "../../lib/errors.ts";
import type { ChatInput, FinishReason, TokenUsage } from "./providers/types.ts";

/** Request fields the gateway reads itself; the rest goes to OpenAI targets as it came. */
const READ_FIELDS = new Set([
  "model",
  "messages",
  "stream",
  "stream_options",
  "max_tokens",
  "max_completion_tokens",
  "temperature",
  "top_p",
  "n",
  "stop",
]);
/** Tool calling needs a translation per provider the gateway does not have yet. */
const TOOL_FIELDS = ["tools", "tool_choice", "functions", "function_call", "parallel_tool_calls"];

function messageText(message: ChatMessage, index: number): string {
  const { content } = message;
  if (content === undefined || content === null) return "";
  if (typeof content === "string") return content;
  return content
    .map((part, partIndex) => {
      if (part.type === "text" && typeof part.text === "string") return part.text;
      throw new ApiError(
        "VALIDATION_FAILED",
        `messages[${index}].content[${partIndex}] is a "${part.type}" part: the gateway passes text parts only.`,
        { fields: { [`messages.${index}.content.${partIndex}.type`]: "only text parts are supported" } },
      );
    })
    .join("");
}

export function chatInputFrom(request: ChatCompletionRequest): ChatInput {
  for (const field of TOOL_FIELDS) {
    if (request[field] !== undefined && request[field] !== null) {
      throw new ApiError(
        "VALIDATION_FAILED",
        `\`${field}\` is not supported by the gateway yet: send plain chat messages.`,
        { fields: { [field]: "tool calling is not supported" } },
      );
    }
  }
  const messages = request.messages.map((message, index) => {
    if (message.role === "tool") {
      throw new ApiError(
        "VALIDATION_FAILED",
        `messages[${index}] is a tool result: tool calling is not supported yet.`,
        {
          fields: { [`messages.${index}.role`]: "tool messages are not supported" },
        },
      );
    }
    const role = message.role === "developer" ? ("system" as const) : message.role;
    return { role, content: messageText(message, index) };
  });
  const extra = Object.fromEntries(Object.entries(request).filter(([key]) => !READ_FIELDS.has(key)));
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const stop = request.stop === null || request.stop === undefined ? undefined : [request.stop].flat();
  return {
    messages,
    ...(maxTokens !== undefined
      ? {
          maxTokens,
          maxTokensField: request.max_completion_tokens ? "max_completion_tokens" : "max_tokens",
        }
      : {}),
    ...(request.temperature !== undefined && request.temperature !== null
      ? { temperature: request.temperature }
      : {}),
    ...(request.top_p !== undefined && request.top_p !== null ? { topP: request.top_p } : {}),
    ...(stop ? { stop } : {}),
    extra,
  };
}

export function usageView(usage: TokenUsage): CompletionUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedTokens },
  };
}

/** What every answer of one call shares: its id, time and the model name the client asked for. */
export interface CompletionHead {
  id: string;
  created: number;
  model: string;
}

export function completionView(
  head: CompletionHead,
  text: string,
  finishReason: FinishReason,
  usage: TokenUsage,
): ChatCompletion {
  return {
    id: head.id,
    object: "chat.completion",
    created: head.created,
    model: head.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text, refusal: null },
        finish_reason: finishReason,
        logprobs: null,
      },
    ],
    usage: usageView(usage),
  };
}

type ChunkBody =
  | { delta: ChatCompletionChunk["choices"][number]["delta"]; finish: FinishReason | null }
  | { usage: TokenUsage };

/** One server-sent event of the stream (`data: <chunk>\n\n`). */
export function chunkEvent(head: CompletionHead, body: ChunkBody): string {
  const chunk: ChatCompletionChunk = {
    id: head.id,
    object: "chat.completion.chunk",
    created: head.created,
    model: head.model,
    choices:
      "usage" in body ? [] : [{ index: 0, delta: body.delta, finish_reason: body.finish, logprobs: null }],
    ...("usage" in body ? { usage: usageView(body.usage) } : { usage: null }),
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

export const DONE_EVENT = "data: [DONE]\n\n";
