// The platform's own provider settings ("Nexus global"): where each provider is reached and the
// deployment's key for it, from the validated config (wrangler.toml vars and secrets).
import type { LlmProvider } from "@nexus/contracts";
import type { Config } from "../../env.ts";

export function platformProvider(
  config: Config,
  provider: LlmProvider,
): { baseUrl: string; apiKey: string | undefined } {
  switch (provider) {
    case "openai":
      return { baseUrl: config.LLM_OPENAI_BASE_URL, apiKey: config.LLM_OPENAI_API_KEY };
    case "anthropic":
      return { baseUrl: config.LLM_ANTHROPIC_BASE_URL, apiKey: config.LLM_ANTHROPIC_API_KEY };
    case "gemini":
      return { baseUrl: config.LLM_GEMINI_BASE_URL, apiKey: config.LLM_GEMINI_API_KEY };
    case "workers_ai":
      // The AI binding carries the account: no URL, no key.
      return { baseUrl: "", apiKey: undefined };
  }
}
