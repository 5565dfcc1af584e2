// The settings besides branding: one row per key with its name, the kind of value and the value,
// added and removed freely. The apps read them as JSON, so the kind decides what is saved.
import { useId } from "react";
import { EmptyState } from "../../components/states.tsx";
import { type DraftErrors, rowFor, type SettingRow, VALUE_KINDS } from "./settings-model.ts";

export function SettingFields({
  rows,
  errors,
  onChange,
}: {
  rows: readonly SettingRow[];
  /** Shown once the form was submitted. */
  errors: DraftErrors["rows"];
  onChange: (rows: SettingRow[]) => void;
}) {
  const update = (uid: string, change: Partial<SettingRow>) =>
    onChange(rows.map((row) => (row.uid === uid ? { ...row, ...change } : row)));
  const add = () => {
    const row = rowFor("", "");
    onChange([...rows, row]);
    // The new row's name field is where the typing starts.
    requestAnimationFrame(() => document.getElementById(`${row.uid}-key`)?.focus());
  };

  return (
    <>
      {rows.length === 0 ? (
        <EmptyState title="No other settings">
          <p>Add the keys your desktop apps read, such as a shift pattern or default units.</p>
        </EmptyState>
      ) : (
        <ul className="setting-rows">
          {rows.map((row) => (
            <li key={row.uid}>
              <SettingRowFields
                row={row}
                errors={errors[row.uid]}
                onChange={(change) => update(row.uid, change)}
                onRemove={() => onChange(rows.filter((candidate) => candidate.uid !== row.uid))}
              />
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button" onClick={add}>
        Add setting
      </button>
    </>
  );
}

function SettingRowFields({
  row,
  errors,
  onChange,
  onRemove,
}: {
  row: SettingRow;
  errors: { key?: string; value?: string } | undefined;
  onChange: (change: Partial<SettingRow>) => void;
  onRemove: () => void;
}) {
  const id = useId();
  const name = row.key.trim() || "new setting";
  return (
    <fieldset className="setting-row">
      <legend className="visually-hidden">Setting {name}</legend>
      <div className="field setting-key">
        <label htmlFor={`${row.uid}-key`}>Name</label>
        <input
          id={`${row.uid}-key`}
          className="mono"
          value={row.key}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => onChange({ key: event.target.value })}
          aria-invalid={errors?.key ? true : undefined}
          aria-describedby={errors?.key ? `${id}-key-error` : undefined}
        />
        {errors?.key && (
          <p id={`${id}-key-error`} className="form-error small">
            {errors.key}
          </p>
        )}
      </div>
      <div className="field setting-kind">
        <label htmlFor={`${id}-kind`}>Type</label>
        <select
          id={`${id}-kind`}
          value={row.kind}
          onChange={(event) => {
            const kind = VALUE_KINDS.find((candidate) => candidate.kind === event.target.value)?.kind;
            if (kind) onChange({ kind });
          }}
        >
          {VALUE_KINDS.map(({ kind, label }) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="field setting-value">
        {row.kind === "boolean" ? (
          <>
            {/* The fieldset's legend names the setting; "On" is the checkbox's own label. */}
            <span className="label-like" aria-hidden="true">
              Value
            </span>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={row.flag}
                onChange={(event) => onChange({ flag: event.target.checked })}
              />
              On
            </label>
          </>
        ) : (
          <>
            <label htmlFor={`${id}-value`}>Value</label>
            {row.kind === "json" ? (
              <textarea
                id={`${id}-value`}
                className="mono"
                rows={Math.min(8, Math.max(2, row.text.split("\n").length))}
                value={row.text}
                spellCheck={false}
                onChange={(event) => onChange({ text: event.target.value })}
                aria-invalid={errors?.value ? true : undefined}
                aria-describedby={errors?.value ? `${id}-value-error` : undefined}
              />
            ) : (
              <input
                id={`${id}-value`}
                inputMode={row.kind === "number" ? "decimal" : undefined}
                value={row.text}
                onChange={(event) => onChange({ text: event.target.value })}
                aria-invalid={errors?.value ? true : undefined}
                aria-describedby={errors?.value ? `${id}-value-error` : undefined}
              />
            )}
          </>
        )}
        {errors?.value && (
          <p id={`${id}-value-error`} className="form-error small">
            {errors.value}
          </p>
        )}
      </div>
      <button type="button" className="button button-quiet setting-remove" onClick={onRemove}>
        Remove<span className="visually-hidden"> {name}</span>
      </button>
    </fieldset>
  );
}
