// The policy form's model: the saved policy as editable text (dollars, seconds), the text back as
// the PUT body (micro-USD, milliseconds), and every problem — the form's own, the contract's, the
// API's — keyed by the body's field path ("models.0.targets.1.key_id"), so each shows at its field.
import { NexusApiError } from "@nexus/client/errors";
import { type LlmPolicyInput, LlmPolicyInputSchema, type LlmProvider } from "@nexus/contracts";
import type { z } from "zod";
import { dollarsText, formatUsdMicros, parseDollars } from "../../lib/money.ts";
import type { Policy } from "./llm-data.ts";

export interface TargetDraft {
  provider: LlmProvider;
  model: string;
  /** A provider key's id; "" for the platform's key. */
  keyId: string;
  timeoutSeconds: string;
}

export interface ModelDraft {
  name: string;
  targets: TargetDraft[];
}

export interface BudgetDraft {
  apiKeyId: string;
  dollars: string;
}

export interface PolicyDraft {
  enabled: boolean;
  models: ModelDraft[];
  allowInstallations: boolean;
  budgetDollars: string;
  apiKeyBudgets: BudgetDraft[];
  requestsPerMinute: string;
  tokensPerMinute: string;
  defaultMaxTokens: string;
  cacheEnabled: boolean;
  cacheTtlSeconds: string;
  storeContent: boolean;
  retentionDays: string;
}

/** Problems by field path; "" for the policy as a whole. */
export type FieldErrors = Readonly<Record<string, string>>;

const seconds = (ms: number) => String(ms / 1000);

export const newTarget = (provider: LlmProvider = "openai"): TargetDraft => ({
  provider,
  model: "",
  keyId: "",
  timeoutSeconds: "60",
});

export function draftOf(policy: Policy): PolicyDraft {
  return {
    enabled: policy.enabled,
    models: policy.models.map((model) => ({
      name: model.name,
      targets: model.targets.map((target) => ({
        provider: target.provider,
        model: target.model,
        keyId: target.key_id ?? "",
        timeoutSeconds: seconds(target.timeout_ms),
      })),
    })),
    allowInstallations: policy.allow_installations,
    budgetDollars: policy.budget_usd_micros === null ? "" : dollarsText(policy.budget_usd_micros),
    apiKeyBudgets: policy.api_key_budgets.map((budget) => ({
      apiKeyId: budget.api_key_id,
      dollars: dollarsText(budget.budget_usd_micros),
    })),
    requestsPerMinute: String(policy.requests_per_minute),
    tokensPerMinute: String(policy.tokens_per_minute),
    defaultMaxTokens: String(policy.default_max_tokens),
    cacheEnabled: policy.cache_enabled,
    cacheTtlSeconds: String(policy.cache_ttl_seconds),
    storeContent: policy.store_content,
    retentionDays: String(policy.content_retention_days),
  };
}

/** Fields the form reads as text, with what a wrong entry is told. */
class Reader {
  readonly errors: Record<string, string> = {};

  whole(path: string, text: string): number {
    if (/^\s*\d+\s*$/.test(text)) return Number(text);
    this.errors[path] = "Enter a whole number.";
    return 0;
  }

  dollars(path: string, text: string): number | null {
    const micros = parseDollars(text);
    if (micros === undefined) {
      this.errors[path] = "Enter an amount in dollars, such as 25 or 12.50 (at most six decimals).";
      return 0;
    }
    return micros;
  }

  milliseconds(path: string, text: string): number {
    if (/^\s*\d+(\.\d{1,3})?\s*$/.test(text)) return Math.round(Number(text) * 1000);
    this.errors[path] = "Enter seconds, such as 30 or 2.5.";
    return 0;
  }
}

/** The contract's limits in the form's units: money in dollars, timeouts in seconds. */
function issueMessage(issue: z.core.$ZodIssue, path: string): string {
  if (issue.code !== "too_small" && issue.code !== "too_big") return issue.message;
  const limit = Number(issue.code === "too_small" ? issue.minimum : issue.maximum);
  const shown = path.endsWith("budget_usd_micros")
    ? formatUsdMicros(limit)
    : path.endsWith("timeout_ms")
      ? `${seconds(limit)} seconds`
      : limit.toLocaleString("en");
  if (issue.origin === "array") return issue.message;
  return issue.code === "too_small" ? `At least ${shown}.` : `At most ${shown}.`;
}

/** The PUT body, or the problems that keep it from being sent. */
export function inputOf(draft: PolicyDraft): { input: LlmPolicyInput } | { errors: FieldErrors } {
  const read = new Reader();
  const input: LlmPolicyInput = {
    enabled: draft.enabled,
    models: draft.models.map((model, m) => ({
      name: model.name.trim(),
      targets: model.targets.map((target, t) => ({
        provider: target.provider,
        model: target.model.trim(),
        key_id: target.keyId || null,
        timeout_ms: read.milliseconds(`models.${m}.targets.${t}.timeout_ms`, target.timeoutSeconds),
      })),
    })),
    allow_installations: draft.allowInstallations,
    budget_usd_micros: read.dollars("budget_usd_micros", draft.budgetDollars),
    api_key_budgets: draft.apiKeyBudgets.map((budget, b) => ({
      api_key_id: budget.apiKeyId,
      budget_usd_micros: read.dollars(`api_key_budgets.${b}.budget_usd_micros`, budget.dollars) ?? 0,
    })),
    requests_per_minute: read.whole("requests_per_minute", draft.requestsPerMinute),
    tokens_per_minute: read.whole("tokens_per_minute", draft.tokensPerMinute),
    default_max_tokens: read.whole("default_max_tokens", draft.defaultMaxTokens),
    cache_enabled: draft.cacheEnabled,
    cache_ttl_seconds: read.whole("cache_ttl_seconds", draft.cacheTtlSeconds),
    store_content: draft.storeContent,
    content_retention_days: read.whole("content_retention_days", draft.retentionDays),
  };
  draft.apiKeyBudgets.forEach((budget, b) => {
    if (!budget.apiKeyId) read.errors[`api_key_budgets.${b}.api_key_id`] = "Choose an API key.";
    if (!budget.dollars.trim()) read.errors[`api_key_budgets.${b}.budget_usd_micros`] = "Enter a budget.";
  });
  const checked = LlmPolicyInputSchema.safeParse(input);
  const errors: Record<string, string> = {};
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const path = issue.path.map(String).join(".");
      errors[path] ??= issueMessage(issue, path);
    }
  }
  // The form's own words first: "Enter a whole number" says more than the schema's "at least 1".
  Object.assign(errors, read.errors);
  return Object.keys(errors).length > 0 ? { errors } : { input };
}

/** The API's refusal by field: its `details.issues` paths, else the whole message at "". */
export function apiFieldErrors(error: unknown): FieldErrors | null {
  if (!(error instanceof NexusApiError)) return null;
  if (error.code !== "VALIDATION_FAILED" && error.code !== "LLM_KEY_NOT_FOUND") return null;
  const details = error.details as { issues?: unknown } | undefined;
  const issues = Array.isArray(details?.issues) ? details.issues : [];
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    if (typeof issue !== "object" || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof path === "string" && typeof message === "string")
      errors[path === "(root)" ? "" : path] ??= message;
  }
  return Object.keys(errors).length > 0 ? errors : { "": error.message };
}

/** The form's words for the body's field names. */
const FIELD_WORDS: Record<string, string> = {
  name: "name",
  provider: "provider",
  model: "model",
  key_id: "key",
  timeout_ms: "timeout",
  targets: "targets",
  api_key_id: "API key",
  budget_usd_micros: "budget",
  allow_installations: "Installations",
  requests_per_minute: "Requests per minute",
  tokens_per_minute: "Tokens per minute",
  default_max_tokens: "Default max tokens",
  cache_ttl_seconds: "Cache lifetime",
  content_retention_days: "Keep prompts and outputs for",
};

/** Where a path is in the form, for the list of problems above it: "Model “default”, target 2, key". */
export function fieldName(path: string, draft: PolicyDraft): string {
  const [head = "", index, sub, subIndex, leaf] = path.split(".");
  if (head === "models") {
    if (index === undefined) return "Models";
    const name = draft.models[Number(index)]?.name.trim();
    const model = name ? `Model “${name}”` : `Model ${Number(index) + 1}`;
    if (sub === "targets" && subIndex !== undefined) {
      return `${model}, target ${Number(subIndex) + 1}${leaf ? `, ${FIELD_WORDS[leaf] ?? leaf}` : ""}`;
    }
    return sub ? `${model}, ${FIELD_WORDS[sub] ?? sub}` : model;
  }
  if (head === "api_key_budgets" && index !== undefined) {
    return `API key budget ${Number(index) + 1}${sub ? `, ${FIELD_WORDS[sub] ?? sub}` : ""}`;
  }
  if (head === "budget_usd_micros") return "Monthly budget";
  if (head === "") return "Policy";
  return FIELD_WORDS[head] ?? path;
}
