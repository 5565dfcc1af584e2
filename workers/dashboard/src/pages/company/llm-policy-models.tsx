// The policy's models: each name clients send (e.g. "default") with its targets in order — provider,
// the provider's model, the key (the platform's, or one of the company's keys for that provider) and
// a timeout. On a 429, a 5xx or a timeout the gateway tries the next target.
import type { LlmProvider } from "@nexus/contracts";
import { PROVIDER_LABELS, PROVIDERS, type ProviderKey, providerKeyLabel } from "./llm-data.ts";
import { PolicyInput, PolicySelect } from "./llm-policy-fields.tsx";
import { type FieldErrors, type ModelDraft, newTarget, type TargetDraft } from "./llm-policy-model.ts";

const MAX_MODELS = 50;
const MAX_TARGETS = 5;
const PROVIDER_CHOICES = PROVIDERS.map((value) => ({ value, label: PROVIDER_LABELS[value] }));
const MODEL_EXAMPLES: Record<LlmProvider, string> = {
  openai: "gpt-4o-mini",
  anthropic: "claude-3-5-haiku-latest",
  gemini: "gemini-2.0-flash",
  workers_ai: "@cf/meta/llama-3.1-8b-instruct",
};

/** `list` with item `index` replaced, removed (null) or moved by `by`. */
function changed<T>(list: readonly T[], index: number, change: T | null | { by: number }): T[] {
  const next = [...list];
  if (change === null) next.splice(index, 1);
  else if (typeof change === "object" && "by" in change) {
    const [item] = next.splice(index, 1);
    if (item !== undefined) next.splice(index + change.by, 0, item);
  } else next[index] = change;
  return next;
}

/** The key choices of a target: the platform's, the company's keys of its provider, and a stale id. */
function keyChoices(target: TargetDraft, keys: readonly ProviderKey[]) {
  const own = keys.filter((key) => key.provider === target.provider);
  const stale = target.keyId && !own.some((key) => key.id === target.keyId);
  return [
    { value: "", label: "Platform key" },
    ...own.map((key) => ({ value: key.id, label: providerKeyLabel(key) })),
    ...(stale
      ? [{ value: target.keyId, label: `Key ${target.keyId} (not a ${target.provider} key here)` }]
      : []),
  ];
}

function TargetRow({
  target,
  index,
  count,
  path,
  keys,
  errors,
  manage,
  onChange,
}: {
  target: TargetDraft;
  index: number;
  count: number;
  path: string;
  keys: readonly ProviderKey[];
  errors: FieldErrors;
  manage: boolean;
  onChange: (change: TargetDraft | null | { by: number }) => void;
}) {
  const ordinal = `Target ${index + 1}`;
  return (
    <li className="llm-target">
      <span className="llm-target-step" aria-hidden="true">
        {index + 1}
      </span>
      <PolicySelect
        label={`${ordinal}: provider`}
        error={errors[`${path}.provider`]}
        value={target.provider}
        choices={PROVIDER_CHOICES}
        disabled={!manage}
        onChange={(provider) =>
          onChange({
            ...target,
            provider,
            // A key belongs to one provider: a different provider starts on the platform's key.
            keyId: keys.some((key) => key.id === target.keyId && key.provider === provider)
              ? target.keyId
              : "",
          })
        }
      />
      <PolicyInput
        label={`${ordinal}: model`}
        error={errors[`${path}.model`]}
        value={target.model}
        placeholder={MODEL_EXAMPLES[target.provider]}
        required
        maxLength={200}
        readOnly={!manage}
        onChange={(model) => onChange({ ...target, model })}
      />
      <PolicySelect
        label={`${ordinal}: key`}
        error={errors[`${path}.key_id`]}
        value={target.keyId}
        choices={keyChoices(target, keys)}
        disabled={!manage || target.provider === "workers_ai"}
        onChange={(keyId) => onChange({ ...target, keyId })}
      />
      <PolicyInput
        label={`${ordinal}: timeout (seconds)`}
        error={errors[`${path}.timeout_ms`]}
        value={target.timeoutSeconds}
        inputMode="decimal"
        className="llm-narrow"
        readOnly={!manage}
        onChange={(timeoutSeconds) => onChange({ ...target, timeoutSeconds })}
      />
      {manage && (
        <span className="llm-row-actions">
          <button
            type="button"
            className="button button-quiet button-small"
            disabled={index === 0}
            onClick={() => onChange({ by: -1 })}
          >
            Earlier<span className="visually-hidden"> ({ordinal})</span>
          </button>
          <button
            type="button"
            className="button button-quiet button-small"
            disabled={index === count - 1}
            onClick={() => onChange({ by: 1 })}
          >
            Later<span className="visually-hidden"> ({ordinal})</span>
          </button>
          <button
            type="button"
            className="button button-quiet button-small"
            disabled={count === 1}
            onClick={() => onChange(null)}
          >
            Remove<span className="visually-hidden"> {ordinal}</span>
          </button>
        </span>
      )}
    </li>
  );
}

export function ModelsEditor({
  models,
  keys,
  errors,
  manage,
  onChange,
}: {
  models: readonly ModelDraft[];
  keys: readonly ProviderKey[];
  errors: FieldErrors;
  manage: boolean;
  onChange: (models: ModelDraft[]) => void;
}) {
  return (
    <fieldset className="llm-models">
      <legend>Models</legend>
      <p className="muted small">
        Clients send a model's name as <code className="mono">model</code>. Its targets are tried in order: on
        a 429, a 5xx or a timeout the gateway falls back to the next one; a 400 never falls back.
      </p>
      {errors.models && <p className="form-error small">{errors.models}</p>}
      {models.length === 0 && (
        <p className="muted">No models yet: the gateway answers every call with 404.</p>
      )}
      {models.map((model, m) => {
        const path = `models.${m}`;
        const title = model.name.trim() || `Model ${m + 1}`;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: models are edited by their place; a name can change or repeat
          <section key={m} className="llm-model" aria-label={`Model ${title}`}>
            <div className="llm-model-header">
              <PolicyInput
                label="Name clients send"
                error={errors[`${path}.name`]}
                value={model.name}
                placeholder="default"
                required
                maxLength={100}
                readOnly={!manage}
                onChange={(name) => onChange(changed(models, m, { ...model, name }))}
              />
              {manage && (
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => onChange(changed(models, m, null))}
                >
                  Remove model<span className="visually-hidden"> {title}</span>
                </button>
              )}
            </div>
            {errors[`${path}.targets`] && <p className="form-error small">{errors[`${path}.targets`]}</p>}
            <ol className="llm-targets">
              {model.targets.map((target, t) => (
                <TargetRow
                  // Targets have no id of their own; their place is what the form edits.
                  // biome-ignore lint/suspicious/noArrayIndexKey: see above
                  key={t}
                  target={target}
                  index={t}
                  count={model.targets.length}
                  path={`${path}.targets.${t}`}
                  keys={keys}
                  errors={errors}
                  manage={manage}
                  onChange={(change) =>
                    onChange(changed(models, m, { ...model, targets: changed(model.targets, t, change) }))
                  }
                />
              ))}
            </ol>
            {manage && model.targets.length < MAX_TARGETS && (
              <button
                type="button"
                className="button button-quiet"
                onClick={() =>
                  onChange(
                    changed(models, m, {
                      ...model,
                      targets: [...model.targets, newTarget(model.targets.at(-1)?.provider)],
                    }),
                  )
                }
              >
                Add a fallback target<span className="visually-hidden"> to {title}</span>
              </button>
            )}
          </section>
        );
      })}
      {manage && models.length < MAX_MODELS && (
        <button
          type="button"
          className="button"
          onClick={() =>
            onChange([...models, { name: models.length === 0 ? "default" : "", targets: [newTarget()] }])
          }
        >
          Add a model
        </button>
      )}
    </fieldset>
  );
}
