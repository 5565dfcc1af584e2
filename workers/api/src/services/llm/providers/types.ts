export type LlmProviderName = "openai" | "anthropic" | "gemini" | "workers_ai";

/** The gateway's request, normalised from the OpenAI Chat Completions body. */
export interface ChatInput {
  /** developer → system; tool messages dropped by the gateway. */
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  maxTokens?: number;
  /**
   * Which OpenAI field the caller limited the output with. OpenAI targets send `maxTokens` under
   * the same name (o-series models reject `max_tokens`; older OpenAI-compatible servers only know
   * `max_tokens`). Other providers ignore it.
   */
  maxTokensField?: "max_tokens" | "max_completion_tokens";
  temperature?: number;
  topP?: number;
  stop?: string[];
  /** Other OpenAI fields, forwarded to OpenAI targets only. */
  extra: Record<string, unknown>;
}

/** `inputTokens` includes `cachedTokens`. */
export interface TokenUsage {
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
}

export type FinishReason = "stop" | "length" | "content_filter" | "tool_calls";

export interface ProviderCall {
  model: string;
  /** Ignored by Workers AI (the binding carries the account). */
  apiKey: string;
  baseUrl: string;
  /** The gateway's timeout (and the client's cancel). */
  signal: AbortSignal;
  fetch: typeof fetch;
  /** Workers AI binding. */
  ai?: Ai;
}

/** `message` is safe to show and log: it never contains the API key. */
export type ProviderFailure = { ok: false; status: number; retryable: boolean; message: string };

export type Completion = {
  ok: true;
  text: string;
  finishReason: FinishReason;
  /** null when the provider sent none (the gateway then estimates). */
  usage: TokenUsage | null;
  providerModel: string;
};

export type StreamEvent =
  | { type: "text"; text: string }
  | { type: "finish"; reason: FinishReason }
  | { type: "usage"; usage: TokenUsage };

export interface ProviderAdapter {
  complete(call: ProviderCall, input: ChatInput): Promise<Completion | ProviderFailure>;
  /**
   * Resolves once the upstream answered headers: a failure then is still fallback-able.
   * The events never throw: an upstream that breaks off (cut body, network error, timeout or
   * cancel mid-stream) just ends them early, without the `finish` / `usage` events.
   */
  stream(
    call: ProviderCall,
    input: ChatInput,
  ): Promise<{ ok: true; events: AsyncIterable<StreamEvent> } | ProviderFailure>;
}
