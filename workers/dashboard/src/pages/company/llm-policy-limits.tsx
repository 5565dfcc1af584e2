// The policy's spending, limits and data settings: the monthly budget and per-API-key budgets (in
// dollars here, micro-USD on the wire), requests and tokens per minute, the default max tokens
// reserved against budgets, the exact cache, and whether prompts and outputs are kept, for how long.
import type { CompanyApiKey } from "./llm-data.ts";
import { PolicyCheck, PolicyInput, PolicySelect } from "./llm-policy-fields.tsx";
import type { BudgetDraft, FieldErrors, PolicyDraft } from "./llm-policy-model.ts";

type Change = (change: Partial<PolicyDraft>) => void;

function KeyBudgets({
  budgets,
  apiKeys,
  errors,
  manage,
  onChange,
}: {
  budgets: readonly BudgetDraft[];
  apiKeys: readonly CompanyApiKey[];
  errors: FieldErrors;
  manage: boolean;
  onChange: (budgets: BudgetDraft[]) => void;
}) {
  const usable = apiKeys.filter((key) => key.revoked_at === null);
  const choicesFor = (budget: BudgetDraft) => [
    { value: "", label: "Choose an API key" },
    ...usable
      // Each key gets one budget: the others' keys are not offered again.
      .filter((key) => key.id === budget.apiKeyId || !budgets.some((other) => other.apiKeyId === key.id))
      .map((key) => ({ value: key.id, label: key.name })),
    ...(budget.apiKeyId && !usable.some((key) => key.id === budget.apiKeyId)
      ? [{ value: budget.apiKeyId, label: `API key ${budget.apiKeyId}` }]
      : []),
  ];
  const set = (index: number, budget: BudgetDraft | null) =>
    onChange(budget === null ? budgets.filter((_, i) => i !== index) : budgets.with(index, budget));
  return (
    <div className="llm-key-budgets">
      <h3>Budgets per API key</h3>
      {budgets.length === 0 && <p className="muted small">No API key has a budget of its own.</p>}
      {budgets.map((budget, b) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: budgets are edited by their place in the list
        <div key={b} className="llm-fields">
          <PolicySelect
            label={`Budget ${b + 1}: API key`}
            error={errors[`api_key_budgets.${b}.api_key_id`]}
            value={budget.apiKeyId}
            choices={choicesFor(budget)}
            disabled={!manage}
            onChange={(apiKeyId) => set(b, { ...budget, apiKeyId })}
          />
          <PolicyInput
            label={`Budget ${b + 1}: dollars per month`}
            error={errors[`api_key_budgets.${b}.budget_usd_micros`]}
            value={budget.dollars}
            inputMode="decimal"
            readOnly={!manage}
            onChange={(dollars) => set(b, { ...budget, dollars })}
          />
          {manage && (
            <button type="button" className="button button-quiet llm-align-end" onClick={() => set(b, null)}>
              Remove<span className="visually-hidden"> budget {b + 1}</span>
            </button>
          )}
        </div>
      ))}
      {manage && (
        <button
          type="button"
          className="button button-quiet"
          disabled={usable.length <= budgets.length}
          onClick={() => onChange([...budgets, { apiKeyId: "", dollars: "" }])}
        >
          Add an API key budget
        </button>
      )}
    </div>
  );
}

export function SpendingSettings({
  draft,
  apiKeys,
  errors,
  manage,
  onChange,
}: {
  draft: PolicyDraft;
  apiKeys: readonly CompanyApiKey[];
  errors: FieldErrors;
  manage: boolean;
  onChange: Change;
}) {
  return (
    <fieldset>
      <legend>Budgets and limits</legend>
      <div className="llm-fields">
        <PolicyInput
          label="Monthly budget (USD)"
          error={errors.budget_usd_micros}
          hint="Per calendar month (UTC). Empty: no budget."
          value={draft.budgetDollars}
          inputMode="decimal"
          placeholder="No budget"
          readOnly={!manage}
          onChange={(budgetDollars) => onChange({ budgetDollars })}
        />
        <PolicyInput
          label="Requests per minute"
          error={errors.requests_per_minute}
          value={draft.requestsPerMinute}
          inputMode="numeric"
          readOnly={!manage}
          onChange={(requestsPerMinute) => onChange({ requestsPerMinute })}
        />
        <PolicyInput
          label="Tokens per minute"
          error={errors.tokens_per_minute}
          value={draft.tokensPerMinute}
          inputMode="numeric"
          readOnly={!manage}
          onChange={(tokensPerMinute) => onChange({ tokensPerMinute })}
        />
        <PolicyInput
          label="Default max tokens"
          error={errors.default_max_tokens}
          hint="Reserved against the budgets when a call names no max_tokens."
          value={draft.defaultMaxTokens}
          inputMode="numeric"
          readOnly={!manage}
          onChange={(defaultMaxTokens) => onChange({ defaultMaxTokens })}
        />
      </div>
      <KeyBudgets
        budgets={draft.apiKeyBudgets}
        apiKeys={apiKeys}
        errors={errors}
        manage={manage}
        onChange={(apiKeyBudgets) => onChange({ apiKeyBudgets })}
      />
    </fieldset>
  );
}

export function DataSettings({
  draft,
  errors,
  manage,
  onChange,
}: {
  draft: PolicyDraft;
  errors: FieldErrors;
  manage: boolean;
  onChange: Change;
}) {
  const check = (
    label: string,
    key: "enabled" | "allowInstallations" | "cacheEnabled" | "storeContent",
    hint: string,
  ) => (
    <PolicyCheck
      label={label}
      hint={hint}
      checked={draft[key]}
      disabled={!manage}
      onChange={(value) => onChange({ [key]: value })}
    />
  );
  return (
    <fieldset>
      <legend>Access, cache and call log</legend>
      {check("Gateway on", "enabled", "Off: every call is refused, whatever the models say.")}
      {check(
        "Installations may call the gateway",
        "allowInstallations",
        "With their installation tokens, besides API keys with the llm:use permission.",
      )}
      <div className="llm-fields">
        {check(
          "Answer identical calls from a cache",
          "cacheEnabled",
          "Same model and body; hits are logged as such.",
        )}
        {draft.cacheEnabled && (
          <PolicyInput
            label="Cache lifetime (seconds)"
            error={errors.cache_ttl_seconds}
            value={draft.cacheTtlSeconds}
            inputMode="numeric"
            readOnly={!manage}
            onChange={(cacheTtlSeconds) => onChange({ cacheTtlSeconds })}
          />
        )}
      </div>
      <div className="llm-fields">
        {check(
          "Keep prompts and outputs in the call log",
          "storeContent",
          "Off by default: only tokens, cost and timing are logged.",
        )}
        {draft.storeContent && (
          <PolicyInput
            label="Keep them for (days)"
            error={errors.content_retention_days}
            value={draft.retentionDays}
            inputMode="numeric"
            readOnly={!manage}
            onChange={(retentionDays) => onChange({ retentionDays })}
          />
        )}
      </div>
    </fieldset>
  );
}
