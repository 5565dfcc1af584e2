import { anthropicAdapter } from "./anthropic.ts";
import { geminiAdapter } from "./gemini.ts";
import { openAiAdapter } from "./openai.ts";
import type { LlmProviderName, ProviderAdapter } from "./types.ts";
import { workersAiAdapter } from "./workers-ai.ts";

const adapters: Record<LlmProviderName, ProviderAdapter> = {
  openai: openAiAdapter,
  anthropic: anthropicAdapter,
  gemini: geminiAdapter,
  workers_ai: workersAiAdapter,
};

export function adapterFor(provider: LlmProviderName): ProviderAdapter {
  return adapters[provider];
}

export type * from "./types.ts";
