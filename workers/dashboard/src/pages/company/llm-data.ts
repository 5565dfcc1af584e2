// What the LLM screens read and share: the company's provider keys, its gateway policy and its API
// keys (to name them, and to give them budgets), and the words for providers and call statuses.
import { type LlmProvider, LlmProviderSchema, routes } from "@nexus/contracts";
import { useCallback } from "react";
import { callApi, type ResponseOf } from "../../lib/api.ts";
import { type AsyncState, useAsync } from "../../lib/use-async.ts";

export type ProviderKey = ResponseOf<typeof routes.listLlmProviderKeys>["keys"][number];
export type Policy = ResponseOf<typeof routes.getLlmPolicy>["policy"];
export type LlmCall = ResponseOf<typeof routes.listLlmCalls>["calls"][number];
export type CallStatus = LlmCall["status"];
export type Usage = ResponseOf<typeof routes.getLlmUsage>;
export type CompanyApiKey = ResponseOf<typeof routes.listApiKeys>["api_keys"][number];

export const PROVIDERS: readonly LlmProvider[] = LlmProviderSchema.options;

export const PROVIDER_LABELS: Record<LlmProvider, string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  gemini: "Google Gemini",
  workers_ai: "Workers AI",
};

/** The providers a company can bring its own key for (Workers AI runs on the platform's binding). */
export const BYOK_PROVIDERS = PROVIDERS.filter(
  (provider): provider is Exclude<LlmProvider, "workers_ai"> => provider !== "workers_ai",
);

export const CALL_STATUS_LABELS: Record<CallStatus, string> = {
  ok: "Answered",
  error: "Failed",
  cut: "Cut off",
  cached: "From cache",
};

export interface LlmData {
  keys: AsyncState<ProviderKey[]>;
  policy: AsyncState<Policy>;
  /** The company's API keys; empty when the role may not list them (budgets then show ids). */
  apiKeys: CompanyApiKey[];
}

export function useLlmData(companyId: string): LlmData {
  const keys = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        (await callApi(routes.listLlmProviderKeys, { params: { companyId }, signal })).keys,
      [companyId],
    ),
  );
  const policy = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        (await callApi(routes.getLlmPolicy, { params: { companyId }, signal })).policy,
      [companyId],
    ),
  );
  const apiKeys = useAsync(
    useCallback(
      async (signal: AbortSignal) =>
        (await callApi(routes.listApiKeys, { params: { companyId }, signal })).api_keys,
      [companyId],
    ),
  );
  return { keys, policy, apiKeys: apiKeys.data ?? [] };
}

/** An API key's name for people: its name, or the id of one that is gone; `-`: no key (an installation). */
export function apiKeyName(apiKeys: readonly CompanyApiKey[], id: string | null): string {
  if (id === null || id === "-") return "No API key (installations)";
  return apiKeys.find((key) => key.id === id)?.name ?? `API key ${id}`;
}

/** A provider key as a choice: "Production (…1234)". */
export const providerKeyLabel = (key: ProviderKey): string => `${key.label} (…${key.last4})`;
