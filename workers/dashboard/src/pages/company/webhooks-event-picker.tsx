// Checkboxes for the event catalogue (packages/contracts/src/webhooks/schemas.ts), each with its description.
import { SubscribableEventTypeSchema, webhookEventCatalogue } from "@nexus/contracts";
import { useId } from "react";
import type { z } from "zod";

export type SubscribableEventType = z.infer<typeof SubscribableEventTypeSchema>;
export const SUBSCRIBABLE_EVENT_TYPES: readonly SubscribableEventType[] = SubscribableEventTypeSchema.options;

export function EventPicker({
  legend,
  selected,
  onChange,
  error,
}: {
  legend: string;
  selected: readonly SubscribableEventType[];
  onChange: (types: SubscribableEventType[]) => void;
  /** Shown under the choices (e.g. none chosen). */
  error?: string | undefined;
}) {
  const id = useId();
  const toggle = (type: SubscribableEventType, on: boolean) =>
    // Kept in catalogue order, whatever the order of the clicks.
    onChange(
      SUBSCRIBABLE_EVENT_TYPES.filter((candidate) =>
        candidate === type ? on : selected.includes(candidate),
      ),
    );
  return (
    <fieldset className="event-picker" aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{legend}</legend>
      <div className="event-picker-actions">
        <button
          type="button"
          className="button button-quiet button-small"
          onClick={() => onChange([...SUBSCRIBABLE_EVENT_TYPES])}
        >
          Select all
        </button>
        <button type="button" className="button button-quiet button-small" onClick={() => onChange([])}>
          Clear
        </button>
      </div>
      <ul className="event-options">
        {SUBSCRIBABLE_EVENT_TYPES.map((type) => (
          <li key={type}>
            <input
              type="checkbox"
              id={`${id}-${type}`}
              checked={selected.includes(type)}
              onChange={(event) => toggle(type, event.target.checked)}
              aria-describedby={`${id}-${type}-description`}
            />
            <label htmlFor={`${id}-${type}`} className="mono">
              {type}
            </label>
            <span id={`${id}-${type}-description`} className="muted small">
              {webhookEventCatalogue[type].description}
            </span>
          </li>
        ))}
      </ul>
      {error && (
        <p id={`${id}-error`} className="form-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
