import { httpAdapter, isRecord, numberOr, parseJsonRecord, record, type SseMapper } from "./http.ts";
import type { ChatInput, Completion, FinishReason, ProviderCall, StreamEvent, TokenUsage } from "./types.ts";

// Finish reasons that mean the provider withheld (part of) the answer.
const FILTERED = new Set([
  "SAFETY",
  "RECITATION",
  "BLOCKLIST",
  "PROHIBITED_CONTENT",
  "SPII",
  "IMAGE_SAFETY",
  "LANGUAGE",
]);

function requestBody(input: ChatInput): Record<string, unknown> {
  const system = input.messages
    .filter((message) => message.role === "system")
    .map((message) => ({ text: message.content }));
  const contents = input.messages
    .filter((message) => message.role !== "system")
    .map((message) => ({
      role: message.role === "assistant" ? "model" : "user",
      parts: [{ text: message.content }],
    }));
  const generationConfig: Record<string, unknown> = {};
  if (input.maxTokens !== undefined) generationConfig.maxOutputTokens = input.maxTokens;
  if (input.temperature !== undefined) generationConfig.temperature = input.temperature;
  if (input.topP !== undefined) generationConfig.topP = input.topP;
  if (input.stop !== undefined && input.stop.length > 0) generationConfig.stopSequences = input.stop;
  const body: Record<string, unknown> = { contents };
  if (system.length > 0) body.systemInstruction = { parts: system };
  if (Object.keys(generationConfig).length > 0) body.generationConfig = generationConfig;
  return body;
}

export function geminiFinishReason(value: unknown): FinishReason {
  if (value === "MAX_TOKENS") return "length";
  if (typeof value === "string" && FILTERED.has(value)) return "content_filter";
  if (value === "MALFORMED_FUNCTION_CALL" || value === "UNEXPECTED_TOOL_CALL") return "tool_calls";
  return "stop";
}

/** Thinking tokens are billed as output, so they count as output here. */
export function geminiUsage(value: unknown): TokenUsage | null {
  if (!isRecord(value) || typeof value.promptTokenCount !== "number") return null;
  return {
    inputTokens: value.promptTokenCount,
    cachedTokens: numberOr(value.cachedContentTokenCount, 0),
    outputTokens: numberOr(value.candidatesTokenCount, 0) + numberOr(value.thoughtsTokenCount, 0),
  };
}

function candidateText(candidate: Record<string, unknown>): string {
  const parts = record(candidate.content).parts;
  let text = "";
  for (const entry of Array.isArray(parts) ? parts : []) {
    const part = record(entry);
    // Thought summaries are not part of the answer.
    if (typeof part.text === "string" && part.thought !== true) text += part.text;
  }
  return text;
}

function firstCandidate(body: Record<string, unknown>): Record<string, unknown> {
  return Array.isArray(body.candidates) ? record(body.candidates[0]) : {};
}

/** undefined while the answer goes on (stream chunks before the last). */
function finishOf(body: Record<string, unknown>): FinishReason | undefined {
  // A blocked prompt answers no candidate, only promptFeedback.blockReason.
  if (!Array.isArray(body.candidates) && record(body.promptFeedback).blockReason !== undefined) {
    return "content_filter";
  }
  const reason = firstCandidate(body).finishReason;
  return reason === undefined ? undefined : geminiFinishReason(reason);
}

function completion(body: Record<string, unknown>, call: ProviderCall): Completion {
  return {
    ok: true,
    text: candidateText(firstCandidate(body)),
    finishReason: finishOf(body) ?? "stop",
    usage: geminiUsage(body.usageMetadata),
    providerModel: typeof body.modelVersion === "string" ? body.modelVersion : call.model,
  };
}

/**
 * Every chunk is a whole GenerateContentResponse; usageMetadata may ride on several of them, the
 * last one final. Usage is only reported once a finishReason arrived: a stream cut before it has
 * partial counts, which would undercount.
 */
function streamMapper(): SseMapper {
  let finished = false;
  let usage: TokenUsage | null = null;
  let usageSent = false;
  return {
    onEvent(event) {
      const chunk = parseJsonRecord(event.data);
      if (!chunk || usageSent) return [];
      if (chunk.error !== undefined) return "end";
      const events: StreamEvent[] = [];
      const text = candidateText(firstCandidate(chunk));
      if (text !== "") events.push({ type: "text", text });
      usage = geminiUsage(chunk.usageMetadata) ?? usage;
      const reason = finishOf(chunk);
      if (!finished && reason) {
        finished = true;
        events.push({ type: "finish", reason });
      }
      if (finished && usage && chunk.usageMetadata !== undefined) {
        usageSent = true;
        events.push({ type: "usage", usage });
      }
      return events;
    },
    onEnd() {
      return finished && usage && !usageSent ? [{ type: "usage", usage }] : [];
    },
  };
}

export const geminiAdapter = httpAdapter({
  label: "Gemini",
  request: (call, input, stream) => {
    const model = encodeURIComponent(call.model.replace(/^models\//, ""));
    const method = stream ? "streamGenerateContent?alt=sse" : "generateContent";
    return {
      url: `${call.baseUrl.replace(/\/+$/, "")}/v1beta/models/${model}:${method}`,
      // The key goes in a header, never in the URL, so no URL logged anywhere carries it.
      headers: { "x-goog-api-key": call.apiKey },
      body: requestBody(input),
    };
  },
  completion,
  streamMapper,
});
