import { type ComponentProps, type ReactNode, useId } from "react";

/** A labelled form control: `children` renders the control with the id its label points at. */
export function Field({ label, children }: { label: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
    </div>
  );
}

export function TextField({ label, ...input }: ComponentProps<"input"> & { label: string }) {
  return <Field label={label}>{(id) => <input id={id} {...input} />}</Field>;
}

export interface Choice<T extends string> {
  value: T;
  label: string;
  /** Shown but not choosable (e.g. a resolution the API refuses for the range). */
  disabled?: boolean;
}

/**
 * A labelled select over a fixed list of choices; `onChange` gets only a value from the list, so
 * callers need no casts.
 */
export function SelectField<T extends string>({
  label,
  value,
  choices,
  onChange,
  describedBy,
}: {
  label: string;
  value: T;
  choices: readonly Choice<T>[];
  onChange: (value: T) => void;
  describedBy?: string;
}) {
  return (
    <Field label={label}>
      {(id) => (
        <select
          id={id}
          value={value}
          aria-describedby={describedBy}
          onChange={(event) => {
            const choice = choices.find((candidate) => candidate.value === event.target.value);
            if (choice) onChange(choice.value);
          }}
        >
          {choices.map((choice) => (
            <option key={choice.value} value={choice.value} disabled={choice.disabled}>
              {choice.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A filter's select: "Any" (no filter) first; a value from the address that is not listed still shows. */
export function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string | undefined;
  options: readonly { value: string; label: string }[];
  onChange: (value: string | undefined) => void;
}) {
  const unlisted = value && !options.some((option) => option.value === value);
  return (
    <SelectField
      label={label}
      value={value ?? ""}
      choices={[{ value: "", label: "Any" }, ...options, ...(unlisted ? [{ value, label: value }] : [])]}
      onChange={(choice) => onChange(choice || undefined)}
    />
  );
}
