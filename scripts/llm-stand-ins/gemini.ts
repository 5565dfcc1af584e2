// Google Gemini API stand-in (https://ai.google.dev/api/generate-content), under `/gemini`:
// `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent` (`?alt=sse`: one
// `data: <GenerateContentResponse>` event per chunk, CRLF-separated as Google sends them; without
// it a streamed JSON array). Key in `x-goog-api-key` or `?key=`. Errors in Google's
// `{error: {code, message, status}}` body. The last chunk carries the finish reason and
// usageMetadata; `cachedContentTokenCount` is left out when zero, as proto3 JSON does.
import * as standIn from "./scenarios.ts";

export const GEMINI_PREFIX = "/gemini";
export const GEMINI_MODELS = ["gemini-2.0-flash", "gemini-2.5-pro"] as const;
export const GEMINI_KEY_PREFIX = "stand-in-gemini";
const METHOD_PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

function googleError(
  code: number,
  status: string,
  message: string,
  details?: Record<string, unknown>[],
  headers: Record<string, string> = {},
): Response {
  return standIn.jsonResponse(
    { error: { code, message, status, ...(details ? { details } : {}) } },
    code,
    headers,
  );
}

const invalidArgument = (message: string) => googleError(400, "INVALID_ARGUMENT", message);

export async function handleGemini(request: Request, path: string): Promise<Response> {
  const url = new URL(request.url);
  const match = METHOD_PATH.exec(path);
  if (!match || request.method !== "POST") {
    return googleError(404, "NOT_FOUND", `The requested URL ${url.pathname} was not found on this server.`);
  }
  const apiKey = request.headers.get("x-goog-api-key") ?? url.searchParams.get("key");
  if (apiKey === null) {
    return googleError(
      403,
      "PERMISSION_DENIED",
      "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
    );
  }
  // Google answers a wrong key with 400 INVALID_ARGUMENT, not 401.
  if (!apiKey.startsWith(GEMINI_KEY_PREFIX)) {
    return googleError(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "API_KEY_INVALID",
        domain: "googleapis.com",
        metadata: { service: "generativelanguage.googleapis.com" },
      },
    ]);
  }
  const [, model = "", method] = match;
  return generateContent(request, decodeURIComponent(model), method === "streamGenerateContent", url);
}

function partsText(parts: unknown): string | null {
  if (!Array.isArray(parts)) return null;
  const texts: string[] = [];
  for (const part of parts) {
    if (!standIn.isRecord(part)) return null;
    if (typeof part.text === "string") texts.push(part.text);
  }
  return texts.join("\n");
}

function readContents(body: Record<string, unknown>): standIn.PromptMessage[] | Response {
  const messages: standIn.PromptMessage[] = [];
  if (body.systemInstruction !== undefined) {
    const system = standIn.isRecord(body.systemInstruction) ? partsText(body.systemInstruction.parts) : null;
    if (system === null)
      return invalidArgument(
        "Invalid value at 'system_instruction' (type.googleapis.com/google.ai.generativelanguage.v1beta.Content)",
      );
    messages.push({ role: "system", text: system });
  }
  if (!Array.isArray(body.contents) || body.contents.length === 0) {
    return invalidArgument("* GenerateContentRequest.contents: contents is not specified\n");
  }
  for (const [index, content] of body.contents.entries()) {
    const role = standIn.isRecord(content) ? (content.role ?? "user") : null;
    if (role !== "user" && role !== "model") return invalidArgument("Please use a valid role: user, model.");
    const text = standIn.isRecord(content) ? partsText(content.parts) : null;
    if (text === null) {
      return invalidArgument(
        `* GenerateContentRequest.contents[${index}].parts: contents.parts must not be empty.\n`,
      );
    }
    messages.push({ role: role === "model" ? "assistant" : "user", text });
  }
  return messages;
}

async function generateContent(
  request: Request,
  model: string,
  stream: boolean,
  url: URL,
): Promise<Response> {
  const body = await standIn.readJsonObject(request);
  if (!body)
    return invalidArgument('Invalid JSON payload received. Unknown name "": Root element must be a message.');
  const messages = readContents(body);
  if (messages instanceof Response) return messages;
  const config = standIn.isRecord(body.generationConfig) ? body.generationConfig : {};
  const maxTokens = standIn.readTokenLimit(config.maxOutputTokens);
  if (maxTokens === null) {
    return invalidArgument(
      "* GenerateContentRequest.generation_config.max_output_tokens: must be positive\n",
    );
  }
  const stop = standIn.readStopSequences(config.stopSequences);
  if (stop === null || typeof config.stopSequences === "string") {
    return invalidArgument("Invalid value at 'generation_config.stop_sequences' (TYPE_STRING)");
  }
  if (!standIn.isServedModel(GEMINI_MODELS, model)) {
    return googleError(
      404,
      "NOT_FOUND",
      `models/${model} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`,
    );
  }

  const failure = await standIn.scenarioFailure(model, request.signal, {
    rateLimited: () =>
      googleError(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.",
        [
          {
            "@type": "type.googleapis.com/google.rpc.RetryInfo",
            retryDelay: `${standIn.RETRY_AFTER_SECONDS}s`,
          },
        ],
        { "retry-after": String(standIn.RETRY_AFTER_SECONDS) },
      ),
    serverError: () =>
      googleError(
        500,
        "INTERNAL",
        "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
      ),
    invalidRequest: () =>
      invalidArgument(`* GenerateContentRequest.contents: ${model} rejects every request\n`),
  });
  if (failure) return failure;

  const reply = standIn.buildReply(messages, { maxTokens, stop });
  const meta = { modelVersion: model, responseId: standIn.randomId(22) };
  if (!stream) {
    return standIn.jsonResponse(
      { candidates: [candidate(reply.text, reply)], usageMetadata: usageMetadata(reply), ...meta },
      200,
    );
  }
  const cut = standIn.scenarioOf(model) === "cut";
  // An empty reply (a stop sequence at its start) still streams one chunk, the final one.
  const all = reply.chunks.length > 0 ? reply.chunks : [""];
  const texts = cut ? all.slice(0, standIn.cutChunkCount(all)) : all;
  const chunks = texts.map((text, index) =>
    cut || index < texts.length - 1
      ? { candidates: [candidate(text, null)], ...meta }
      : { candidates: [candidate(text, reply)], usageMetadata: usageMetadata(reply), ...meta },
  );
  if (url.searchParams.get("alt") === "sse") {
    const events = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`);
    return standIn.streamResponse(events, "text/event-stream");
  }
  const frames = chunks.map((chunk, index) => `${index === 0 ? "[" : ",\r\n"}${JSON.stringify(chunk)}`);
  // A cut array stream ends mid-array, as a dropped connection would leave it.
  if (!cut) frames.push("]");
  return standIn.streamResponse(frames, "application/json");
}

/** A candidate with `text`; `final` (the whole reply) adds the finish reason to the last one. */
function candidate(text: string, final: standIn.StandInReply | null) {
  return {
    content: { parts: [{ text }], role: "model" },
    ...(final ? { finishReason: final.finish === "length" ? "MAX_TOKENS" : "STOP" } : {}),
    index: 0,
  };
}

function usageMetadata(reply: standIn.StandInReply) {
  const { promptTokens, cachedTokens, completionTokens } = reply.usage;
  return {
    promptTokenCount: promptTokens,
    candidatesTokenCount: completionTokens,
    totalTokenCount: promptTokens + completionTokens,
    ...(cachedTokens > 0 ? { cachedContentTokenCount: cachedTokens } : {}),
    promptTokensDetails: [{ modality: "TEXT", tokenCount: promptTokens }],
  };
}
