// The policy form's controls: a labelled input or select whose problem (the form's, the contract's
// or the API's, by field path) shows under it and marks it invalid for assistive technology.
import type { ComponentProps, ReactNode } from "react";
import { useId } from "react";

export function PolicyField({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error: string | undefined;
  hint?: ReactNode;
  /** The control, given its id and the attributes that tie it to its hint and error. */
  children: (control: { id: string; "aria-invalid"?: true; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = useId();
  const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(error ? { "aria-invalid": true } : {}), "aria-describedby": described })}
      {error ? (
        <p id={`${id}-error`} className="form-error small">
          {error}
        </p>
      ) : (
        hint && (
          <p id={`${id}-hint`} className="muted small field-hint">
            {hint}
          </p>
        )
      )}
    </div>
  );
}

/** A text input in a PolicyField. */
export function PolicyInput({
  label,
  error,
  hint,
  value,
  onChange,
  ...input
}: Omit<ComponentProps<"input">, "value" | "onChange"> & {
  label: string;
  error: string | undefined;
  hint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <PolicyField label={label} error={error} hint={hint}>
      {(control) => (
        <input {...input} {...control} value={value} onChange={(event) => onChange(event.target.value)} />
      )}
    </PolicyField>
  );
}

/** A select in a PolicyField over fixed choices; `onChange` gets only a listed value. */
export function PolicySelect<T extends string>({
  label,
  error,
  value,
  choices,
  onChange,
  disabled,
}: {
  label: string;
  error: string | undefined;
  value: T;
  choices: readonly { value: T; label: string }[];
  onChange: (value: T) => void;
  disabled?: boolean;
}) {
  return (
    <PolicyField label={label} error={error}>
      {(control) => (
        <select
          {...control}
          value={value}
          disabled={disabled}
          onChange={(event) => {
            const choice = choices.find((candidate) => candidate.value === event.target.value);
            if (choice) onChange(choice.value);
          }}
        >
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </PolicyField>
  );
}

/** A yes/no setting. */
export function PolicyCheck({
  label,
  checked,
  onChange,
  hint,
  disabled,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: string;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="llm-check">
      <label className="checkbox">
        <input
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(event) => onChange(event.target.checked)}
        />
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="muted small field-hint">
          {hint}
        </p>
      )}
    </div>
  );
}
