// Adding a provider key (BYOK) and rotating one: the key is typed into a password field, sent once,
// and never shown again — the API seals it and answers only its last four characters. The field is
// emptied as soon as the key is sent.
import { routes } from "@nexus/contracts";
import { type FormEvent, type Ref, useCallback, useEffect, useRef, useState } from "react";
import { SelectField, TextField } from "../../components/field.tsx";
import { ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { BYOK_PROVIDERS, PROVIDER_LABELS, type ProviderKey } from "./llm-data.ts";

type ByokProvider = (typeof BYOK_PROVIDERS)[number];
const PROVIDER_CHOICES = BYOK_PROVIDERS.map((value) => ({ value, label: PROVIDER_LABELS[value] }));

/** A key field: a password input, so the key is not shown while typed, and no autofill. */
function KeyField({
  label,
  value,
  onChange,
  inputRef,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
}) {
  return (
    <TextField
      ref={inputRef}
      label={label}
      type="password"
      autoComplete="new-password"
      spellCheck={false}
      required
      minLength={8}
      maxLength={500}
      value={value}
      onChange={(event) => onChange(event.target.value)}
    />
  );
}

export function AddKeyForm({
  companyId,
  onAdded,
  onCancel,
}: {
  companyId: string;
  onAdded: (key: ProviderKey) => void;
  onCancel: () => void;
}) {
  const [provider, setProvider] = useState<ByokProvider>("openai");
  const [label, setLabel] = useState("");
  const [secret, setSecret] = useState("");
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const add = useAction(
    useCallback(
      async (body: { provider: ByokProvider; label: string; key: string }) =>
        (await callApi(routes.createLlmProviderKey, { params: { companyId }, body })).key,
      [companyId],
    ),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const key = secret.trim();
    setSecret("");
    const added = await add.run({ provider, label: label.trim(), key });
    if (added) onAdded(added);
  };

  return (
    <form className="panel llm-form" onSubmit={submit} aria-labelledby="llm-add-key-heading">
      <h2 id="llm-add-key-heading">Add a provider key</h2>
      <p className="muted small">
        Calls routed to this key are billed by the provider to your account. The key is stored sealed with the
        company's key; only its last four characters are ever shown.
      </p>
      <div className="llm-fields">
        <SelectField label="Provider" value={provider} choices={PROVIDER_CHOICES} onChange={setProvider} />
        <TextField
          ref={first}
          label="Label"
          required
          maxLength={100}
          placeholder="e.g. Production"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
        />
        <KeyField label="Key" value={secret} onChange={setSecret} />
      </div>
      {add.error !== undefined && <ErrorState error={add.error} />}
      <div className="state-actions">
        <button type="submit" className="button button-primary" disabled={add.pending}>
          {add.pending ? "Adding…" : "Add key"}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel} disabled={add.pending}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Rotation in the key's row: the new secret replaces the old at once for every target using it. */
export function RotateKeyForm({
  companyId,
  providerKey,
  onRotated,
  onCancel,
}: {
  companyId: string;
  providerKey: ProviderKey;
  onRotated: (key: ProviderKey) => void;
  onCancel: () => void;
}) {
  const [secret, setSecret] = useState("");
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  const rotate = useAction(
    useCallback(
      async (key: string) =>
        (
          await callApi(routes.rotateLlmProviderKey, {
            params: { companyId, providerKeyId: providerKey.id },
            body: { key },
          })
        ).key,
      [companyId, providerKey.id],
    ),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const key = secret.trim();
    setSecret("");
    const rotated = await rotate.run(key);
    if (rotated) onRotated(rotated);
  };
  return (
    <form
      className="llm-inline-form"
      onSubmit={submit}
      aria-label={`Rotate ${providerKey.label}`}
      onKeyDown={(event) => {
        if (event.key === "Escape") onCancel();
      }}
    >
      <KeyField
        inputRef={field}
        label={`New key for ${providerKey.label}`}
        value={secret}
        onChange={setSecret}
      />
      <div className="state-actions">
        <button type="submit" className="button button-primary" disabled={rotate.pending}>
          {rotate.pending ? "Rotating…" : "Rotate"}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {rotate.error !== undefined && <ErrorState error={rotate.error} />}
    </form>
  );
}
