// The form that creates a company workflow or changes one (on a built-in, the change is the company's
// override): name, category, channels, critical, digest window. Problems show at their field — the
// contract's before sending, and the API's refusal of a key (taken, or a built-in's) after.
import { NexusApiError } from "@nexus/client/errors";
import { NOTIFICATION_CHANNELS, type NotificationWorkflow, routes } from "@nexus/contracts";
import { type FormEvent, useCallback, useId, useState } from "react";
import { ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import { CHANNEL_LABELS } from "./notifications-message.tsx";
import {
  createBody,
  draftOf,
  emptyDraft,
  updateBody,
  type WorkflowDraft,
  type WorkflowField,
  type WorkflowProblems,
  withChannel,
} from "./notifications-workflow-form.ts";

/** API refusals that concern the key the person typed. */
const KEY_ERRORS = new Set(["NOTIFICATION_WORKFLOW_EXISTS", "NOTIFICATION_WORKFLOW_BUILT_IN"]);

export function WorkflowForm({
  companyId,
  workflow,
  categories,
  onDone,
  onCancel,
}: {
  companyId: string;
  /** The workflow to change; none to create one. */
  workflow?: NotificationWorkflow;
  /** The categories in use, offered as the category field's suggestions. */
  categories: readonly string[];
  onDone: (saved: NotificationWorkflow, outcome: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [draft, setDraft] = useState<WorkflowDraft>(() => (workflow ? draftOf(workflow) : emptyDraft()));
  const [problems, setProblems] = useState<WorkflowProblems>({});
  const edit = (change: Partial<WorkflowDraft>) => setDraft((previous) => ({ ...previous, ...change }));

  const save = useAction(
    useCallback(async () => {
      if (!workflow) {
        const checked = createBody(draft);
        if (!checked.ok) return setProblems(checked.problems);
        setProblems({});
        try {
          const created = await callApi(routes.createNotificationWorkflow, {
            params: { companyId },
            body: checked.body,
          });
          onDone(created.workflow, `Created “${created.workflow.name}”. Write its templates next.`);
        } catch (error) {
          if (error instanceof NexusApiError && KEY_ERRORS.has(error.code)) {
            return setProblems({ key: error.message });
          }
          throw error;
        }
        return;
      }
      const checked = updateBody(workflow, draft);
      if (!checked.ok) return setProblems(checked.problems);
      setProblems({});
      if (Object.keys(checked.body).length === 0) return onDone(workflow, "Nothing changed.");
      const updated = await callApi(routes.updateNotificationWorkflow, {
        params: { companyId, workflowKey: workflow.key },
        body: checked.body,
      });
      onDone(updated.workflow, `Saved “${updated.workflow.name}”.`);
    }, [companyId, workflow, draft, onDone]),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };

  const problemId = (field: WorkflowField) => `${id}-${field}-problem`;
  const invalid = (field: WorkflowField) =>
    problems[field] ? { "aria-invalid": true, "aria-describedby": problemId(field) } : {};
  const problem = (field: WorkflowField) =>
    problems[field] && (
      <p className="form-error" id={problemId(field)}>
        {problems[field]}
      </p>
    );
  const title = workflow ? `Change ${workflow.name}` : "New workflow";

  return (
    <form className="endpoint-form workflow-form" aria-label={title} onSubmit={submit} noValidate>
      <h3>{title}</h3>
      {workflow?.built_in && (
        <p className="muted small">
          A built-in workflow: your changes apply to this company only, and it cannot be deleted.
        </p>
      )}
      {!workflow && (
        <div className="field">
          <label htmlFor={`${id}-key`}>Key</label>
          <input
            id={`${id}-key`}
            className="mono"
            value={draft.key}
            placeholder="orders.shipped"
            spellCheck={false}
            autoComplete="off"
            required
            {...invalid("key")}
            onChange={(event) => edit({ key: event.target.value })}
          />
          <p className="muted small field-hint">
            What triggers name: lower-case letters and digits, joined by “.”, “_” or “-”.
          </p>
          {problem("key")}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={draft.name}
          required
          {...invalid("name")}
          onChange={(event) => edit({ name: event.target.value })}
        />
        {problem("name")}
      </div>
      <div className="field">
        <label htmlFor={`${id}-category`}>Category</label>
        <input
          id={`${id}-category`}
          value={draft.category}
          list={`${id}-categories`}
          spellCheck={false}
          autoComplete="off"
          required
          {...invalid("category")}
          onChange={(event) => edit({ category: event.target.value })}
        />
        <datalist id={`${id}-categories`}>
          {categories.map((category) => (
            <option key={category} value={category} />
          ))}
        </datalist>
        <p className="muted small field-hint">
          People opt out of a category per channel in their preferences.
        </p>
        {problem("category")}
      </div>
      <fieldset aria-describedby={problems.channels ? problemId("channels") : undefined}>
        <legend>Channels</legend>
        {NOTIFICATION_CHANNELS.map((channel) => (
          <label key={channel} className="checkbox">
            <input
              type="checkbox"
              checked={draft.channels.includes(channel)}
              onChange={(event) =>
                edit({ channels: withChannel(draft.channels, channel, event.target.checked) })
              }
            />{" "}
            {CHANNEL_LABELS[channel]}
          </label>
        ))}
        {problem("channels")}
      </fieldset>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={draft.critical}
          onChange={(event) => edit({ critical: event.target.checked })}
        />{" "}
        Critical: delivered through opt-outs and quiet hours
      </label>
      <div className="field">
        <label htmlFor={`${id}-digest`}>Digest window (minutes)</label>
        <input
          id={`${id}-digest`}
          inputMode="numeric"
          value={draft.digest}
          placeholder="none"
          {...invalid("digest")}
          onChange={(event) => edit({ digest: event.target.value })}
        />
        <p className="muted small field-hint">
          Batch a person's messages of this workflow into one over this many minutes; empty sends each at
          once.
        </p>
        {problem("digest")}
      </div>
      {save.error !== undefined && <ErrorState error={save.error} />}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={save.pending}>
          {save.pending ? "Saving…" : workflow ? "Save changes" : "Create workflow"}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
