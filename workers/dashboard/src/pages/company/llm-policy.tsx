// The company's gateway policy as one form, saved whole with PUT: models and their targets, budgets
// and limits, cache and call-log settings. Problems show at their fields — the form's own before
// anything is sent, the API's (a key that is not the company's, an API key that is not) after.
import { type LlmPolicyInput, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { ErrorState, Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import type { LlmData, Policy, ProviderKey } from "./llm-data.ts";
import { DataSettings, SpendingSettings } from "./llm-policy-limits.tsx";
import {
  apiFieldErrors,
  draftOf,
  type FieldErrors,
  fieldName,
  inputOf,
  type PolicyDraft,
} from "./llm-policy-model.ts";
import { ModelsEditor } from "./llm-policy-models.tsx";

const NO_ERRORS: FieldErrors = {};

export function LlmPolicyForm({
  companyId,
  data,
  manage,
}: {
  companyId: string;
  data: LlmData;
  manage: boolean;
}) {
  // Here, not in the editor: a save reloads the policy, which starts the editor afresh.
  const [saved, setSaved] = useState<string>();
  return (
    <Loaded state={data.policy} loading="Loading the policy…">
      {(policy) => (
        <PolicyEditor
          // A saved policy (or another company's) starts the form afresh.
          key={`${companyId}-${policy.updated_at ?? "defaults"}`}
          companyId={companyId}
          policy={policy}
          keys={data.keys.data ?? []}
          data={data}
          manage={manage}
          saved={saved}
          setSaved={setSaved}
        />
      )}
    </Loaded>
  );
}

function PolicyEditor({
  companyId,
  policy,
  keys,
  data,
  manage,
  saved,
  setSaved,
}: {
  companyId: string;
  policy: Policy;
  keys: readonly ProviderKey[];
  data: LlmData;
  manage: boolean;
  /** What the last save said, for the status line. */
  saved: string | undefined;
  setSaved: (message: string | undefined) => void;
}) {
  const [draft, setDraft] = useState<PolicyDraft>(() => draftOf(policy));
  const [formErrors, setFormErrors] = useState<FieldErrors>(NO_ERRORS);
  const { reload } = data.policy;
  const save = useAction(
    useCallback(
      (body: LlmPolicyInput) => callApi(routes.updateLlmPolicy, { params: { companyId }, body }),
      [companyId],
    ),
  );
  const apiErrors = apiFieldErrors(save.error);
  const errors = Object.keys(formErrors).length > 0 ? formErrors : (apiErrors ?? NO_ERRORS);
  const problems = Object.entries(errors);
  useEffect(() => {
    if (problems.length > 0) document.getElementById("llm-policy-problems")?.focus();
  }, [problems.length]);

  const change = (next: Partial<PolicyDraft>) => {
    setSaved(undefined);
    setDraft((previous) => ({ ...previous, ...next }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(undefined);
    const checked = inputOf(draft);
    if ("errors" in checked) {
      save.clearError();
      setFormErrors(checked.errors);
      return;
    }
    setFormErrors(NO_ERRORS);
    const result = await save.run(checked.input);
    if (result) {
      setSaved(`Saved at ${formatDateTime(result.policy.updated_at ?? new Date().toISOString())}.`);
      reload();
    }
  };

  return (
    <form className="panel llm-form" onSubmit={submit} noValidate aria-labelledby="llm-policy-heading">
      <div className="panel-header">
        <h2 id="llm-policy-heading">Policy</h2>
        <span className="muted small">
          {policy.updated_at ? `Last saved ${formatDateTime(policy.updated_at)}` : "The platform's defaults"}
        </span>
      </div>
      {!manage && <p className="muted">Your role may read the policy; changing it needs llm:manage.</p>}
      {problems.length > 0 && (
        <div id="llm-policy-problems" className="state state-error" role="alert" tabIndex={-1}>
          <h3>{problems.length === 1 ? "One thing to fix" : `${problems.length} things to fix`}</h3>
          <ul>
            {problems.map(([path, message]) => (
              <li key={path}>
                <strong>{fieldName(path, draft)}</strong>: {message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ModelsEditor
        models={draft.models}
        keys={keys}
        errors={errors}
        manage={manage}
        onChange={(models) => change({ models })}
      />
      <SpendingSettings
        draft={draft}
        apiKeys={data.apiKeys}
        errors={errors}
        manage={manage}
        onChange={change}
      />
      <DataSettings draft={draft} errors={errors} manage={manage} onChange={change} />
      {save.error !== undefined && apiErrors === null && <ErrorState error={save.error} />}
      {manage && (
        <div className="state-actions">
          <button type="submit" className="button button-primary" disabled={save.pending}>
            {save.pending ? "Saving…" : "Save policy"}
          </button>
          <button
            type="button"
            className="button button-quiet"
            disabled={save.pending}
            onClick={() => {
              setDraft(draftOf(policy));
              setFormErrors(NO_ERRORS);
              save.clearError();
            }}
          >
            Undo changes
          </button>
          <span className="muted small" role="status">
            {saved}
          </span>
        </div>
      )}
    </form>
  );
}
