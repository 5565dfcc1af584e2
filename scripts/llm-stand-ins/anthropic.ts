// Anthropic Messages stand-in (https://docs.anthropic.com/en/api/messages), under `/anthropic`:
// `POST /v1/messages` with `x-api-key` and the required `anthropic-version`, answering a Message, or
// with `stream: true` the named SSE events message_start, content_block_start, ping,
// content_block_delta…, content_block_stop, message_delta (stop reason, output tokens) and
// message_stop; errors in Anthropic's `{type: "error", error: {type, message}}` body.
import * as standIn from "./scenarios.ts";

export const ANTHROPIC_PREFIX = "/anthropic";
export const ANTHROPIC_MODELS = ["claude-3-5-haiku-latest", "claude-sonnet-4-5"] as const;
export const ANTHROPIC_KEY_PREFIX = "sk-ant-stand-in";
/** The versions the API accepts in `anthropic-version`. */
export const ANTHROPIC_VERSIONS = ["2023-06-01", "2023-01-01"];
const SNAPSHOTS: Record<string, string> = {
  "claude-3-5-haiku-latest": "claude-3-5-haiku-20241022",
  "claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
};

type AnthropicErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "not_found_error"
  | "rate_limit_error"
  | "api_error";

function anthropicError(
  status: number,
  type: AnthropicErrorType,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const requestId = `req_${standIn.randomId(24)}`;
  return standIn.jsonResponse({ type: "error", error: { type, message }, request_id: requestId }, status, {
    "request-id": requestId,
    ...headers,
  });
}

const invalidRequest = (message: string) => anthropicError(400, "invalid_request_error", message);

export async function handleAnthropic(request: Request, path: string): Promise<Response> {
  const apiKey = request.headers.get("x-api-key");
  if (apiKey === null) return anthropicError(401, "authentication_error", "x-api-key header is required");
  if (!apiKey.startsWith(ANTHROPIC_KEY_PREFIX)) {
    return anthropicError(401, "authentication_error", "invalid x-api-key");
  }
  const version = request.headers.get("anthropic-version");
  if (version === null) return invalidRequest("anthropic-version: header is required");
  if (!ANTHROPIC_VERSIONS.includes(version)) {
    return invalidRequest(`anthropic-version: invalid version "${version}"`);
  }
  if (request.method !== "POST" || path !== "/v1/messages") {
    return anthropicError(404, "not_found_error", "Not Found");
  }
  return createMessage(request);
}

function readMessages(body: Record<string, unknown>): standIn.PromptMessage[] | Response {
  const messages: standIn.PromptMessage[] = [];
  if (body.system !== undefined) {
    const system = standIn.partsText(body.system);
    if (system === null)
      return invalidRequest("system: Input should be a valid string or list of text blocks");
    messages.push({ role: "system", text: system });
  }
  if (!Array.isArray(body.messages)) return invalidRequest("messages: Field required");
  if (body.messages.length === 0) return invalidRequest("messages: at least one message is required");
  for (const [index, message] of body.messages.entries()) {
    if (!standIn.isRecord(message))
      return invalidRequest(`messages.${index}: Input should be a valid dictionary`);
    if (message.role === "system") {
      return invalidRequest(
        `messages.${index}.role: Unexpected role "system". The Messages API accepts a top-level \`system\` parameter, not "system" as an input message role.`,
      );
    }
    if (message.role !== "user" && message.role !== "assistant") {
      return invalidRequest(`messages.${index}.role: Input should be 'user' or 'assistant'`);
    }
    const text = standIn.partsText(message.content);
    if (text === null) return invalidRequest(`messages.${index}.content: Input should be a valid list`);
    messages.push({ role: message.role, text });
  }
  return messages;
}

async function createMessage(request: Request): Promise<Response> {
  const body = await standIn.readJsonObject(request);
  if (!body)
    return invalidRequest("There was an issue with your request body: the body is not a valid JSON object");
  if (typeof body.model !== "string") return invalidRequest("model: Field required");
  // Unlike OpenAI's and Gemini's, Anthropic's limit is required.
  if (body.max_tokens === undefined) return invalidRequest("max_tokens: Field required");
  const maxTokens = standIn.readTokenLimit(body.max_tokens);
  if (maxTokens === null || maxTokens === undefined) {
    return invalidRequest("max_tokens: Input should be greater than or equal to 1");
  }
  const messages = readMessages(body);
  if (messages instanceof Response) return messages;
  const stop = standIn.readStopSequences(body.stop_sequences);
  if (stop === null || typeof body.stop_sequences === "string") {
    return invalidRequest("stop_sequences: Input should be a valid list");
  }
  if (!standIn.isServedModel(ANTHROPIC_MODELS, body.model)) {
    return anthropicError(404, "not_found_error", `model: ${body.model}`);
  }

  const failure = await standIn.scenarioFailure(body.model, request.signal, {
    rateLimited: () =>
      anthropicError(
        429,
        "rate_limit_error",
        "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.",
        { "retry-after": String(standIn.RETRY_AFTER_SECONDS) },
      ),
    serverError: () => anthropicError(500, "api_error", "Internal server error"),
    invalidRequest: () => invalidRequest(`messages: ${body.model} rejects every request`),
  });
  if (failure) return failure;

  const reply = standIn.buildReply(messages, { maxTokens, stop });
  const message = {
    id: `msg_${standIn.randomId(24)}`,
    type: "message",
    role: "assistant",
    model: SNAPSHOTS[body.model] ?? body.model,
  };
  const headers = { "request-id": `req_${standIn.randomId(24)}` };
  if (body.stream === true) {
    const events = streamEvents(message, reply, standIn.scenarioOf(body.model) === "cut");
    return standIn.streamResponse(events, "text/event-stream; charset=utf-8", headers);
  }
  return standIn.jsonResponse(
    {
      ...message,
      content: [{ type: "text", text: reply.text }],
      stop_reason: stopReason(reply),
      stop_sequence: reply.stopSequence,
      usage: { ...inputUsage(reply), output_tokens: reply.usage.completionTokens, service_tier: "standard" },
    },
    200,
    headers,
  );
}

function stopReason(reply: standIn.StandInReply): "end_turn" | "max_tokens" | "stop_sequence" {
  if (reply.finish === "length") return "max_tokens";
  return reply.finish === "stop_sequence" ? "stop_sequence" : "end_turn";
}

/** Anthropic counts cache reads apart: `input_tokens` excludes them. */
function inputUsage(reply: standIn.StandInReply) {
  return {
    input_tokens: reply.usage.promptTokens - reply.usage.cachedTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: reply.usage.cachedTokens,
  };
}

function event(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** A cut stream ends after some text deltas: no content_block_stop, message_delta or message_stop. */
function streamEvents(message: Record<string, string>, reply: standIn.StandInReply, cut: boolean): string[] {
  const texts = cut ? reply.chunks.slice(0, standIn.cutChunkCount(reply.chunks)) : reply.chunks;
  const events = [
    event("message_start", {
      message: {
        ...message,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        // The real API reports a provisional output count of 1 here; the final one is in message_delta.
        usage: { ...inputUsage(reply), output_tokens: 1, service_tier: "standard" },
      },
    }),
    event("content_block_start", { index: 0, content_block: { type: "text", text: "" } }),
    event("ping", {}),
    ...texts.map((text) => event("content_block_delta", { index: 0, delta: { type: "text_delta", text } })),
  ];
  if (cut) return events;
  events.push(
    event("content_block_stop", { index: 0 }),
    event("message_delta", {
      delta: { stop_reason: stopReason(reply), stop_sequence: reply.stopSequence },
      usage: { output_tokens: reply.usage.completionTokens },
    }),
    event("message_stop", {}),
  );
  return events;
}
