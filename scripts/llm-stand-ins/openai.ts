// OpenAI Chat Completions stand-in (https://platform.openai.com/docs/api-reference/chat), under
// `/openai/v1`: `POST /chat/completions` (JSON, or SSE `chat.completion.chunk` lines ending in
// `data: [DONE]`) and `GET /models[/{id}]`, with OpenAI's error bodies. The response types are the
// `openai` SDK's own, so the shapes cannot drift from what the SDK parses.
import type { ChatCompletion, ChatCompletionChunk } from "openai/resources/chat/completions";
import type { CompletionUsage } from "openai/resources/completions";
import type { Model } from "openai/resources/models";
import * as standIn from "./scenarios.ts";

export const OPENAI_PREFIX = "/openai/v1";
export const OPENAI_MODELS = ["gpt-4o-mini", "gpt-4.1"] as const;
export const OPENAI_KEY_PREFIX = "sk-stand-in";
/** The dated snapshot the API names in `model` for an alias, as the real one does. */
const SNAPSHOTS: Record<string, string> = {
  "gpt-4o-mini": "gpt-4o-mini-2024-07-18",
  "gpt-4.1": "gpt-4.1-2025-04-14",
};
const MODEL_CREATED = 1_715_367_049;
const ROLES = new Set(["system", "developer", "user", "assistant", "tool", "function"]);

function openAiError(
  status: number,
  error: { message: string; type: string; param?: string | null; code?: string | null },
  headers: Record<string, string> = {},
): Response {
  return standIn.jsonResponse({ error: { param: null, code: null, ...error } }, status, {
    "x-request-id": `req_${standIn.randomId(32)}`,
    ...headers,
  });
}

const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  openAiError(400, { message, type: "invalid_request_error", param, code });

export async function handleOpenAi(request: Request, path: string): Promise<Response> {
  const authorization = request.headers.get("authorization") ?? "";
  if (!authorization.startsWith("Bearer ")) {
    return openAiError(401, {
      message:
        "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
      type: "invalid_request_error",
    });
  }
  // The real message echoes a masked key; the stand-in leaves the key out entirely.
  if (!authorization.slice("Bearer ".length).startsWith(OPENAI_KEY_PREFIX)) {
    return openAiError(401, {
      message:
        "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
      type: "invalid_request_error",
      code: "invalid_api_key",
    });
  }
  if (request.method === "GET" && path === "/models") {
    return standIn.jsonResponse(
      { object: "list", data: OPENAI_MODELS.map(modelObject) },
      200,
      requestHeaders(),
    );
  }
  if (request.method === "GET" && path.startsWith("/models/")) {
    const id = decodeURIComponent(path.slice("/models/".length));
    return standIn.isServedModel(OPENAI_MODELS, id)
      ? standIn.jsonResponse(modelObject(id), 200, requestHeaders())
      : modelNotFound(id);
  }
  if (request.method === "POST" && path === "/chat/completions") return chatCompletions(request);
  return openAiError(404, {
    message: `Invalid URL (${request.method} /v1${path})`,
    type: "invalid_request_error",
  });
}

function modelObject(id: string): Model {
  return { id, object: "model", created: MODEL_CREATED, owned_by: "system" };
}

function modelNotFound(model: string): Response {
  return openAiError(404, {
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    type: "invalid_request_error",
    code: "model_not_found",
  });
}

function requestHeaders(): Record<string, string> {
  return {
    "x-request-id": `req_${standIn.randomId(32)}`,
    "openai-version": "2020-10-01",
    "openai-processing-ms": "1",
  };
}

function readMessages(value: unknown): standIn.PromptMessage[] | Response {
  if (!Array.isArray(value) || value.length === 0) {
    return invalidRequest(
      value === undefined
        ? "Missing required parameter: 'messages'."
        : "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      "messages",
      value === undefined ? "missing_required_parameter" : "empty_array",
    );
  }
  const messages: standIn.PromptMessage[] = [];
  for (const [index, message] of value.entries()) {
    if (!standIn.isRecord(message) || typeof message.role !== "string" || !ROLES.has(message.role)) {
      return invalidRequest(
        `Invalid value for 'messages[${index}].role': expected one of 'system', 'developer', 'user', 'assistant', 'tool' or 'function'.`,
        `messages[${index}].role`,
        "invalid_value",
      );
    }
    // An assistant message that only calls tools has null content.
    const text =
      message.content === null || message.content === undefined ? "" : standIn.partsText(message.content);
    if (text === null) {
      return invalidRequest(
        `Invalid type for 'messages[${index}].content'.`,
        `messages[${index}].content`,
        "invalid_type",
      );
    }
    messages.push({ role: message.role, text });
  }
  return messages;
}

async function chatCompletions(request: Request): Promise<Response> {
  const body = await standIn.readJsonObject(request);
  if (!body) {
    return invalidRequest(
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
    );
  }
  if (typeof body.model !== "string") {
    return invalidRequest("you must provide a model parameter", "model", "missing_required_parameter");
  }
  const messages = readMessages(body.messages);
  if (messages instanceof Response) return messages;
  const maxTokens = standIn.readTokenLimit(body.max_completion_tokens ?? body.max_tokens);
  if (maxTokens === null) {
    const param = body.max_completion_tokens === undefined ? "max_tokens" : "max_completion_tokens";
    return invalidRequest(
      `Invalid '${param}': integer below minimum value.`,
      param,
      "integer_below_min_value",
    );
  }
  const stop = standIn.readStopSequences(body.stop);
  if (stop === null) return invalidRequest("Invalid type for 'stop'.", "stop", "invalid_type");
  if (!standIn.isServedModel(OPENAI_MODELS, body.model)) return modelNotFound(body.model);

  const failure = await standIn.scenarioFailure(body.model, request.signal, {
    rateLimited: () =>
      openAiError(
        429,
        {
          message: `Rate limit reached for ${body.model} in organization org-standin on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
          type: "requests",
          code: "rate_limit_exceeded",
        },
        { "retry-after": String(standIn.RETRY_AFTER_SECONDS) },
      ),
    serverError: () =>
      openAiError(500, {
        message: "The server had an error while processing your request. Sorry about that!",
        type: "server_error",
      }),
    invalidRequest: () =>
      invalidRequest(
        `Invalid value for 'messages': ${body.model} rejects every request.`,
        "messages",
        "invalid_value",
      ),
  });
  if (failure) return failure;

  const reply = standIn.buildReply(messages, { maxTokens, stop });
  const meta = {
    id: `chatcmpl-${standIn.randomId(29)}`,
    created: Math.floor(Date.now() / 1000),
    model: SNAPSHOTS[body.model] ?? body.model,
    service_tier: "default" as const,
    system_fingerprint: "fp_5tand1n",
  };
  if (body.stream === true) {
    const includeUsage = standIn.isRecord(body.stream_options) && body.stream_options.include_usage === true;
    const frames = streamChunks(meta, reply, includeUsage, standIn.scenarioOf(body.model) === "cut").map(
      (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
    );
    if (standIn.scenarioOf(body.model) !== "cut") frames.push("data: [DONE]\n\n");
    return standIn.streamResponse(frames, "text/event-stream; charset=utf-8", requestHeaders());
  }
  const completion: ChatCompletion = {
    ...meta,
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: reply.text, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: finishReason(reply),
      },
    ],
    usage: usageOf(reply),
  };
  return standIn.jsonResponse(completion, 200, requestHeaders());
}

function finishReason(reply: standIn.StandInReply): "stop" | "length" {
  return reply.finish === "length" ? "length" : "stop";
}

function usageOf(reply: standIn.StandInReply): CompletionUsage {
  const { promptTokens, cachedTokens, completionTokens } = reply.usage;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: cachedTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/**
 * A role chunk, the content chunks, a chunk with the finish reason, and (with include_usage) a last
 * chunk with `choices: []` and the usage; with include_usage every other chunk carries `usage: null`.
 * A cut stream stops after some content chunks.
 */
function streamChunks(
  meta: Omit<ChatCompletionChunk, "object" | "choices" | "usage">,
  reply: standIn.StandInReply,
  includeUsage: boolean,
  cut: boolean,
): ChatCompletionChunk[] {
  const chunk = (choices: ChatCompletionChunk["choices"]): ChatCompletionChunk => ({
    ...meta,
    object: "chat.completion.chunk",
    choices,
    ...(includeUsage ? { usage: null } : {}),
  });
  const contents = cut ? reply.chunks.slice(0, standIn.cutChunkCount(reply.chunks)) : reply.chunks;
  const chunks = [
    chunk([
      {
        index: 0,
        delta: { role: "assistant", content: "", refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ]),
    ...contents.map((content) =>
      chunk([{ index: 0, delta: { content }, logprobs: null, finish_reason: null }]),
    ),
  ];
  if (cut) return chunks;
  chunks.push(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason(reply) }]));
  if (includeUsage) chunks.push({ ...chunk([]), usage: usageOf(reply) });
  return chunks;
}
