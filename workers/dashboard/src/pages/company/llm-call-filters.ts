// The call log's filters live in the address (`?model=…&provider=…&api_key_id=…&status=…`), so a
// filtered log can be linked. Values the API would refuse are dropped rather than sent.
import { LlmCallStatusSchema, type LlmProvider, LlmProviderSchema } from "@nexus/contracts";
import type { CallStatus } from "./llm-data.ts";

export interface CallFilters {
  model?: string;
  provider?: LlmProvider;
  apiKeyId?: string;
  status?: CallStatus;
}

const FIELDS = [
  ["model", "model"],
  ["provider", "provider"],
  ["apiKeyId", "api_key_id"],
  ["status", "status"],
] as const;

export function callFiltersFrom(search: string): CallFilters {
  const query = new URLSearchParams(search);
  const text = (name: string, max: number) => {
    const value = query.get(name) ?? "";
    return value && value.length <= max ? value : undefined;
  };
  const provider = LlmProviderSchema.safeParse(query.get("provider"));
  const status = LlmCallStatusSchema.safeParse(query.get("status"));
  const filters: CallFilters = {};
  const model = text("model", 200);
  const apiKeyId = text("api_key_id", 64);
  if (model) filters.model = model;
  if (provider.success) filters.provider = provider.data;
  if (apiKeyId) filters.apiKeyId = apiKeyId;
  if (status.success) filters.status = status.data;
  return filters;
}

/** The query string for `filters`: "" when there are none, else starting with `?`. */
export function callFiltersQuery(filters: CallFilters): string {
  const query = new URLSearchParams();
  for (const [key, name] of FIELDS) {
    const value = filters[key];
    if (value) query.set(name, value);
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

export const hasCallFilters = (filters: CallFilters): boolean => callFiltersQuery(filters) !== "";
