// The fields of a release an operator writes (name, notes, minimum version, mandatory), for a new
// release and for changing one.
import type { ReactNode } from "react";
import { Field, TextField } from "../../../components/field.tsx";

export interface ReleaseText {
  name: string;
  notes: string;
  minimumVersion: string;
  mandatory: boolean;
}

export const EMPTY_RELEASE_TEXT: ReleaseText = { name: "", notes: "", minimumVersion: "", mandatory: false };

export function ReleaseTextFields({
  value,
  onChange,
  children,
}: {
  value: ReleaseText;
  onChange: (value: ReleaseText) => void;
  /** More fields, first in the grid (a new release's channel and version). */
  children?: ReactNode;
}) {
  const set = (change: Partial<ReleaseText>) => onChange({ ...value, ...change });
  return (
    <>
      <div className="updates-form-grid">
        {children}
        <TextField label="Name" value={value.name} onChange={(event) => set({ name: event.target.value })} />
        <TextField
          label="Minimum version (optional)"
          value={value.minimumVersion}
          placeholder="Older versions must update"
          onChange={(event) => set({ minimumVersion: event.target.value })}
        />
      </div>
      <Field label="Release notes">
        {(id) => (
          <textarea
            id={id}
            rows={4}
            value={value.notes}
            onChange={(event) => set({ notes: event.target.value })}
          />
        )}
      </Field>
      <label className="updates-checkbox">
        <input
          type="checkbox"
          checked={value.mandatory}
          onChange={(event) => set({ mandatory: event.target.checked })}
        />
        Mandatory: the app installs it without asking
      </label>
    </>
  );
}
