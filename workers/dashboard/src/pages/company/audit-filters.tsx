// The audit log's filter form. It edits a draft; the address changes (and the list reloads) when the
// form is applied, or at once for the actor type select. The parent keys it by the address's
// filters, so going back in history shows the filters of that page.
import { type ReactNode, useId, useState } from "react";
import { SelectField, TextField } from "../../components/field.tsx";
import {
  ACTOR_TYPES,
  type ActorType,
  type AuditFilters,
  fromLocalInput,
  isFiltered,
  rangeProblem,
  toLocalInput,
} from "../../lib/audit-range.ts";

export const ACTOR_LABELS: Record<ActorType, string> = {
  user: "Dashboard user",
  operator: "Platform operator",
  api_key: "API key",
  installation: "Installation",
  registration_token: "Registration token",
  anonymous: "Anonymous",
  system: "System",
};

const ACTOR_CHOICES = [
  { value: "" as const, label: "Any" },
  ...ACTOR_TYPES.map((type) => ({ value: type, label: ACTOR_LABELS[type] })),
];

export function AuditFilterForm({
  filters,
  actions,
  onApply,
  clear,
}: {
  filters: AuditFilters;
  /** Suggestions for the action field (exact names: the API matches the whole action). */
  actions: readonly string[];
  onApply: (filters: AuditFilters) => void;
  /** The "Clear filters" button, shown while there are filters to clear. */
  clear: ReactNode;
}) {
  const [draft, setDraft] = useState(filters);
  const [problem, setProblem] = useState<string>();
  const actionsId = useId();
  const problemId = useId();

  const apply = (next: AuditFilters) => {
    const refused = rangeProblem(next.from, next.to);
    setProblem(refused);
    if (!refused) onApply({ ...next, action: next.action.trim(), actor_id: next.actor_id.trim() });
  };
  const edit = (change: Partial<AuditFilters>) => setDraft((previous) => ({ ...previous, ...change }));

  return (
    <search>
      <form
        className="filters audit-filters"
        aria-label="Filter the audit log"
        onSubmit={(event) => {
          event.preventDefault();
          apply(draft);
        }}
      >
        <TextField
          label="Action"
          value={draft.action}
          list={actionsId}
          placeholder="e.g. api_key.created"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => edit({ action: event.target.value })}
        />
        <datalist id={actionsId}>
          {actions.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <SelectField
          label="Actor type"
          value={draft.actor_type}
          choices={ACTOR_CHOICES}
          onChange={(actorType) => {
            edit({ actor_type: actorType });
            apply({ ...draft, actor_type: actorType });
          }}
        />
        <TextField
          label="Actor id"
          value={draft.actor_id}
          spellCheck={false}
          onChange={(event) => edit({ actor_id: event.target.value })}
        />
        {(["from", "to"] as const).map((end) => (
          <TextField
            key={end}
            label={end === "from" ? "From" : "To"}
            type="datetime-local"
            value={toLocalInput(draft[end])}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
            onChange={(event) => edit({ [end]: fromLocalInput(event.target.value) })}
          />
        ))}
        <button type="submit" className="button button-primary">
          Apply filters
        </button>
        {isFiltered(filters) && clear}
        {problem && (
          <p className="form-error" id={problemId} role="alert">
            {problem}
          </p>
        )}
      </form>
    </search>
  );
}
