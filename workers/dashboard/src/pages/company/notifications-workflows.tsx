// The company's notification workflows: every built-in (with the company's overrides) and its own,
// with category, channels, whether critical, and the digest window. Each opens its template editor.
// Roles with notifications:manage also create workflows, change any (a built-in's change is the
// company's override) and delete the company's own (built-ins cannot be deleted).
import { type NotificationWorkflow, routes } from "@nexus/contracts";
import { Fragment, useCallback, useId, useState } from "react";
import { ConfirmButton } from "../../components/confirm-button.tsx";
import { Link } from "../../components/link.tsx";
import { DetailRow } from "../../components/row-details.tsx";
import { EmptyState, ErrorState, Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { useAction } from "../../lib/use-action.ts";
import type { AsyncState } from "../../lib/use-async.ts";
import { CHANNEL_LABELS } from "./notifications-message.tsx";
import { categoryLabel } from "./notifications-preferences-model.ts";
import { WorkflowForm } from "./notifications-workflow-editor.tsx";
import { companyPath } from "./section.ts";

export function NotificationWorkflows({
  companyId,
  workflows,
  canManage = false,
}: {
  companyId: string;
  workflows: AsyncState<NotificationWorkflow[]>;
  canManage?: boolean;
}) {
  const id = useId();
  const [creating, setCreating] = useState(false);
  const [editingKey, setEditingKey] = useState<string>();
  const [outcome, setOutcome] = useState<string>();
  const { reload } = workflows;
  const categories = [...new Set((workflows.data ?? []).map((workflow) => workflow.category))].sort();
  const saved = useCallback(
    (_: NotificationWorkflow, message: string) => {
      setCreating(false);
      setEditingKey(undefined);
      setOutcome(message);
      reload();
    },
    [reload],
  );
  const remove = useAction(
    useCallback(
      async (workflow: NotificationWorkflow) => {
        const deleted = await callApi(routes.deleteNotificationWorkflow, {
          params: { companyId, workflowKey: workflow.key },
        });
        const templates = deleted.deleted_templates;
        setOutcome(
          `Deleted “${workflow.name}” and its ${templates} template${templates === 1 ? "" : "s"}; the messages it sent stay in the history.`,
        );
        reload();
      },
      [companyId, reload],
    ),
  );
  const columns = canManage ? 6 : 5;
  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h2 id={`${id}-heading`}>Workflows</h2>
        {canManage && !creating && (
          <button
            type="button"
            className="button button-primary panel-action"
            onClick={() => {
              setOutcome(undefined);
              setEditingKey(undefined);
              setCreating(true);
            }}
          >
            New workflow
          </button>
        )}
      </div>
      {creating && (
        <WorkflowForm
          companyId={companyId}
          categories={categories}
          onDone={saved}
          onCancel={() => setCreating(false)}
        />
      )}
      <p className="muted small" role="status">
        {outcome}
      </p>
      {remove.error !== undefined && <ErrorState error={remove.error} />}
      <Loaded state={workflows} loading="Loading workflows…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No workflows" />
          ) : (
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">Notification workflows</caption>
                <thead>
                  <tr>
                    <th scope="col">Workflow</th>
                    <th scope="col">Category</th>
                    <th scope="col">Channels</th>
                    <th scope="col" className="wide-only">
                      Digest
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">Templates</span>
                    </th>
                    {canManage && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {list.map((workflow) => (
                    <Fragment key={workflow.key}>
                      <tr>
                        <th scope="row">
                          {workflow.name}
                          {workflow.critical && <span className="badge badge-inactive">Critical</span>}
                          <span className="mono muted small block">
                            {workflow.key}
                            {workflow.built_in
                              ? workflow.overridden
                                ? " · built-in, changed"
                                : " · built-in"
                              : ""}
                          </span>
                        </th>
                        <td>{categoryLabel(workflow.category)}</td>
                        <td>{workflow.channels.map((channel) => CHANNEL_LABELS[channel]).join(", ")}</td>
                        <td className="wide-only">
                          {workflow.digest_minutes === null ? (
                            <span className="muted">none</span>
                          ) : (
                            `every ${workflow.digest_minutes} min`
                          )}
                        </td>
                        <td>
                          <Link
                            className="button button-quiet button-small"
                            href={companyPath(companyId, "notifications", "workflows", workflow.key)}
                          >
                            Templates<span className="visually-hidden"> of {workflow.name}</span>
                          </Link>
                        </td>
                        {canManage && (
                          <td>
                            <WorkflowActions
                              workflow={workflow}
                              editing={editingKey === workflow.key}
                              onEdit={() => {
                                setOutcome(undefined);
                                setCreating(false);
                                setEditingKey(editingKey === workflow.key ? undefined : workflow.key);
                              }}
                              deleting={remove.pending}
                              onDelete={() => {
                                setOutcome(undefined);
                                return remove.run(workflow);
                              }}
                            />
                          </td>
                        )}
                      </tr>
                      <DetailRow open={editingKey === workflow.key} columns={columns}>
                        <WorkflowForm
                          companyId={companyId}
                          workflow={workflow}
                          categories={categories}
                          onDone={saved}
                          onCancel={() => setEditingKey(undefined)}
                        />
                      </DetailRow>
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

function WorkflowActions({
  workflow,
  editing,
  onEdit,
  deleting,
  onDelete,
}: {
  workflow: NotificationWorkflow;
  editing: boolean;
  onEdit: () => void;
  deleting: boolean;
  onDelete: () => unknown;
}) {
  return (
    <div className="workflow-actions">
      <button
        type="button"
        className="button button-quiet button-small"
        aria-expanded={editing}
        onClick={onEdit}
      >
        {editing ? "Close" : "Edit"}
        <span className="visually-hidden"> {workflow.name}</span>
      </button>
      {/* Built-ins are the platform's: the API refuses to delete them (NOTIFICATION_WORKFLOW_BUILT_IN). */}
      {!workflow.built_in && (
        <ConfirmButton
          className="button button-danger-quiet button-small"
          label={
            <>
              Delete<span className="visually-hidden"> {workflow.name}</span>
            </>
          }
          question={`Delete “${workflow.name}” and its templates? Triggers naming ${workflow.key} are refused from then on; the messages it sent stay in the history.`}
          confirmLabel="Delete"
          pending={deleting}
          onConfirm={onDelete}
        />
      )}
    </div>
  );
}
