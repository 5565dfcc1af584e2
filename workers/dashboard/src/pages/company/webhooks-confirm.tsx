// The webhooks screens' form endings: Submit + Cancel.

/** A form's submit button (its label while pending) and Cancel. */
export function FormActions({
  label,
  pendingLabel,
  pending,
  disabled = false,
  onCancel,
}: {
  label: string;
  pendingLabel: string;
  pending: boolean;
  disabled?: boolean;
  onCancel: () => void;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={pending || disabled}>
        {pending ? pendingLabel : label}
      </button>
      <button type="button" className="button button-quiet" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
