// What a call costs: a versioned price table in USD per million tokens (the providers' list prices),
// so every usage row names the table it was priced with and a price change never rewrites history.
// Costs are micro-USD (millionths of a dollar): a price per million tokens is then exactly the
// micro-USD per token, and sums stay integers.
import type { LlmProvider } from "@nexus/contracts";
import type { TokenUsage } from "./providers/types.ts";

export const PRICE_VERSION = "2026-12-01";

/** USD per million tokens: fresh input, input read from the provider's prompt cache, output. */
export interface ModelPrice {
  input: number;
  cachedInput: number;
  output: number;
}

const prices: Record<LlmProvider, Record<string, ModelPrice>> = {
  openai: {
    "gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6 },
    "gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10 },
    "gpt-4.1": { input: 2, cachedInput: 0.5, output: 8 },
    "gpt-4.1-mini": { input: 0.4, cachedInput: 0.1, output: 1.6 },
    "gpt-4.1-nano": { input: 0.1, cachedInput: 0.025, output: 0.4 },
    "gpt-5": { input: 1.25, cachedInput: 0.125, output: 10 },
    "gpt-5-mini": { input: 0.25, cachedInput: 0.025, output: 2 },
  },
  anthropic: {
    "claude-3-5-haiku-latest": { input: 0.8, cachedInput: 0.08, output: 4 },
    "claude-haiku-4-5": { input: 1, cachedInput: 0.1, output: 5 },
    "claude-sonnet-4-5": { input: 3, cachedInput: 0.3, output: 15 },
    "claude-opus-4-1": { input: 15, cachedInput: 1.5, output: 75 },
  },
  gemini: {
    "gemini-2.0-flash": { input: 0.1, cachedInput: 0.025, output: 0.4 },
    "gemini-2.5-flash": { input: 0.3, cachedInput: 0.075, output: 2.5 },
    "gemini-2.5-pro": { input: 1.25, cachedInput: 0.31, output: 10 },
  },
  workers_ai: {
    "@cf/meta/llama-3.1-8b-instruct": { input: 0.282, cachedInput: 0.282, output: 0.827 },
    "@cf/meta/llama-3.3-70b-instruct-fp8-fast": { input: 0.293, cachedInput: 0.293, output: 2.253 },
  },
};

/**
 * A model the table does not know is priced as its provider's dearest model: pricing it at zero is
 * how other gateways let budgets run over, and over-reserving is the safe error.
 */
function dearest(provider: LlmProvider): ModelPrice {
  return Object.values(prices[provider]).reduce((a, b) => (b.input + b.output > a.input + a.output ? b : a));
}

export function priceOf(provider: LlmProvider, model: string): ModelPrice {
  return prices[provider][model] ?? dearest(provider);
}

/** The cost of `usage` in whole micro-USD, rounded up so that no call is ever free by rounding. */
export function costOf(price: ModelPrice, usage: TokenUsage): number {
  const fresh = Math.max(0, usage.inputTokens - usage.cachedTokens);
  const exact =
    fresh * price.input + usage.cachedTokens * price.cachedInput + usage.outputTokens * price.output;
  // Prices are decimal fractions: 0.15 × 80 is 12.000000000000002 in floating point, not 13 µ$.
  return Math.ceil(exact - 1e-6);
}
