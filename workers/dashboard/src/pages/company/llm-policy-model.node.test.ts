import { NexusApiError } from "@nexus/client/errors";
import { describe, expect, it } from "vitest";
import type { Policy } from "./llm-data.ts";
import { apiFieldErrors, draftOf, fieldName, inputOf, newTarget } from "./llm-policy-model.ts";

const POLICY: Policy = {
  enabled: true,
  models: [
    {
      name: "default",
      targets: [
        { provider: "openai", model: "gpt-4o-mini", key_id: "key_1", timeout_ms: 2_500 },
        { provider: "anthropic", model: "claude-3-5-haiku-latest", key_id: null, timeout_ms: 60_000 },
      ],
    },
  ],
  allow_installations: false,
  budget_usd_micros: 25_500_000,
  api_key_budgets: [{ api_key_id: "ak_1", budget_usd_micros: 45 }],
  requests_per_minute: 600,
  tokens_per_minute: 1_000_000,
  default_max_tokens: 4096,
  cache_enabled: false,
  cache_ttl_seconds: 3600,
  store_content: true,
  content_retention_days: 30,
  updated_at: "2026-12-01T00:00:00.000Z",
};

describe("the policy form", () => {
  it("shows money in dollars and timeouts in seconds, and sends micro-USD and milliseconds back", () => {
    const draft = draftOf(POLICY);
    expect(draft.budgetDollars).toBe("25.5");
    expect(draft.apiKeyBudgets).toEqual([{ apiKeyId: "ak_1", dollars: "0.000045" }]);
    expect(draft.models[0]?.targets.map((target) => [target.keyId, target.timeoutSeconds])).toEqual([
      ["key_1", "2.5"],
      ["", "60"],
    ]);
    const { updated_at: _, ...saved } = POLICY;
    expect(inputOf(draft)).toEqual({ input: saved });
  });

  it("sends an empty budget as none", () => {
    const result = inputOf({ ...draftOf(POLICY), budgetDollars: " " });
    expect("input" in result && result.input.budget_usd_micros).toBeNull();
  });

  it("says what is wrong at each field, in the form's units", () => {
    const draft = draftOf(POLICY);
    const result = inputOf({
      ...draft,
      models: [
        { name: "bad name!", targets: [{ ...newTarget(), model: "m", timeoutSeconds: "0.05" }] },
        { name: "two", targets: [{ ...newTarget(), model: "m", timeoutSeconds: "soon" }] },
      ],
      budgetDollars: "-3",
      apiKeyBudgets: [{ apiKeyId: "", dollars: "" }],
      tokensPerMinute: "50",
      requestsPerMinute: "1.5",
    });
    expect("errors" in result && result.errors).toMatchObject({
      "models.0.name": expect.stringContaining("letters, digits"),
      "models.0.targets.0.timeout_ms": "At least 0.1 seconds.",
      "models.1.targets.0.timeout_ms": "Enter seconds, such as 30 or 2.5.",
      budget_usd_micros: expect.stringContaining("Enter an amount in dollars"),
      "api_key_budgets.0.api_key_id": "Choose an API key.",
      "api_key_budgets.0.budget_usd_micros": "Enter a budget.",
      tokens_per_minute: "At least 100.",
      requests_per_minute: "Enter a whole number.",
    });
  });

  it("puts the API's refusals at their fields", () => {
    const refusal = new NexusApiError({
      status: 404,
      code: "LLM_KEY_NOT_FOUND",
      message: "models[0] target 1: this company has no provider key key_9.",
      details: { issues: [{ path: "models.0.targets.0.key_id", message: "No provider key key_9." }] },
      requestId: "req_1",
      retryAfterMs: undefined,
    });
    expect(apiFieldErrors(refusal)).toEqual({ "models.0.targets.0.key_id": "No provider key key_9." });
    expect(apiFieldErrors(new Error("network"))).toBeNull();
  });

  it("names a field's place in the form", () => {
    const draft = draftOf(POLICY);
    expect(fieldName("models.0.targets.1.key_id", draft)).toBe("Model “default”, target 2, key");
    expect(fieldName("api_key_budgets.0.budget_usd_micros", draft)).toBe("API key budget 1, budget");
    expect(fieldName("budget_usd_micros", draft)).toBe("Monthly budget");
    expect(fieldName("tokens_per_minute", draft)).toBe("Tokens per minute");
  });
});
