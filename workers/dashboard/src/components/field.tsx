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
