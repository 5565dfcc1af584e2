// The providers the gateway can reach and the company's own keys for them (BYOK): each key's
// provider, label and last four characters, the models of the policy that use it, adding one,
// rotating it in place and deleting it (the API refuses while a model's target still uses it).
import { NexusApiError } from "@nexus/client/errors";
import { routes } from "@nexus/contracts";
import { useCallback, useState } from "react";
import { ConfirmButton } from "../../components/confirm-button.tsx";
import { EmptyState, ErrorState, Loaded } from "../../components/states.tsx";
import { callApi, describeError } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { type LlmData, type Policy, PROVIDER_LABELS, type ProviderKey } from "./llm-data.ts";
import { AddKeyForm, RotateKeyForm } from "./llm-key-form.tsx";
import { ListTable } from "./members-parts.tsx";

/** The models of the policy with a target on this key. */
const modelsUsing = (policy: Policy | undefined, keyId: string): string[] =>
  policy?.models
    .filter((model) => model.targets.some((target) => target.key_id === keyId))
    .map((model) => model.name) ?? [];

/** A refused deletion says why in the API's words (e.g. which models still use the key). */
function DeleteProblem({ error, onDismiss }: { error: unknown; onDismiss: () => void }) {
  const { detail, requestId } = describeError(error);
  const inUse = error instanceof NexusApiError && error.code === "VALIDATION_FAILED";
  return (
    <div className="state state-error" role="alert">
      <h2>{inUse ? "This key is still in use" : describeError(error).title}</h2>
      <p>{detail}</p>
      {requestId && <p className="muted small">Request id: {requestId}</p>}
      <div className="state-actions">
        <button type="button" className="button button-quiet" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </div>
  );
}

export function LlmKeys({ companyId, data, manage }: { companyId: string; data: LlmData; manage: boolean }) {
  const { keys, policy } = data;
  const [adding, setAdding] = useState(false);
  const [rotatingId, setRotatingId] = useState<string>();
  const [done, setDone] = useState<string>();
  const { reload } = keys;
  const remove = useAction(
    useCallback(
      async (key: ProviderKey) => {
        await callApi(routes.deleteLlmProviderKey, { params: { companyId, providerKeyId: key.id } });
        setDone(`“${key.label}” is deleted.`);
        reload();
      },
      [companyId, reload],
    ),
  );

  return (
    <>
      <div className="panel llm-intro">
        <div>
          <h2>Providers and keys</h2>
          <p className="muted small">
            The gateway calls OpenAI, Anthropic, Google Gemini and Workers AI with the platform's keys, or
            with your own: add a key here, then choose it for a model's targets in the policy.
          </p>
        </div>
        {manage && !adding && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setDone(undefined);
              setAdding(true);
            }}
          >
            Add a key
          </button>
        )}
      </div>
      {adding && (
        <AddKeyForm
          companyId={companyId}
          onCancel={() => setAdding(false)}
          onAdded={(key) => {
            setAdding(false);
            setDone(`${PROVIDER_LABELS[key.provider]} key “${key.label}” (ending ${key.last4}) is added.`);
            reload();
          }}
        />
      )}
      <section className="panel" aria-labelledby="llm-keys-heading">
        <h2 id="llm-keys-heading">Your provider keys</h2>
        <p className="muted small llm-status" role="status">
          {done}
        </p>
        {remove.error !== undefined && <DeleteProblem error={remove.error} onDismiss={remove.clearError} />}
        <Loaded state={keys} loading="Loading provider keys…">
          {(list) =>
            list.length === 0 ? (
              <EmptyState title="No keys of your own yet">
                <p>Every model uses the platform's keys until you add one.</p>
              </EmptyState>
            ) : (
              <ListTable
                caption="The company's provider keys"
                columns={
                  <>
                    <th scope="col">Key</th>
                    <th scope="col">Provider</th>
                    <th scope="col">Used by</th>
                    <th scope="col" className="wide-only">
                      Added
                    </th>
                    {manage && <th scope="col">Actions</th>}
                  </>
                }
              >
                {list.map((key) => {
                  const models = modelsUsing(policy.data, key.id);
                  return (
                    <tr key={key.id}>
                      <th scope="row">
                        <span className="admin-name">{key.label}</span>
                        <span className="muted small mono" data-testid="llm-key-last4">
                          …{key.last4}
                        </span>
                      </th>
                      <td>{PROVIDER_LABELS[key.provider]}</td>
                      <td>
                        {models.length > 0 ? models.join(", ") : <span className="muted">No model</span>}
                      </td>
                      <td className="wide-only">
                        {formatDateTime(key.created_at)}
                        {key.rotated_at && (
                          <span className="muted small block">rotated {formatDateTime(key.rotated_at)}</span>
                        )}
                      </td>
                      {manage && (
                        <td className="llm-actions">
                          {rotatingId === key.id ? (
                            <RotateKeyForm
                              companyId={companyId}
                              providerKey={key}
                              onCancel={() => setRotatingId(undefined)}
                              onRotated={(rotated) => {
                                setRotatingId(undefined);
                                setDone(`“${rotated.label}” now uses the key ending ${rotated.last4}.`);
                                reload();
                              }}
                            />
                          ) : (
                            <>
                              <button
                                type="button"
                                className="button button-quiet"
                                onClick={() => {
                                  setDone(undefined);
                                  setRotatingId(key.id);
                                }}
                              >
                                Rotate<span className="visually-hidden"> {key.label}</span>
                              </button>
                              <ConfirmButton
                                className="button button-quiet"
                                label={
                                  <>
                                    Delete<span className="visually-hidden"> {key.label}</span>
                                  </>
                                }
                                question={`Delete “${key.label}”? Calls can no longer use it.`}
                                confirmLabel="Yes, delete"
                                pending={remove.pending}
                                onConfirm={() => {
                                  setDone(undefined);
                                  return remove.run(key);
                                }}
                              />
                            </>
                          )}
                        </td>
                      )}
                    </tr>
                  );
                })}
              </ListTable>
            )
          }
        </Loaded>
        {/* One refusal is enough: a role that may not list keys may not read the policy either. */}
        {policy.error !== undefined && keys.error === undefined && (
          <ErrorState error={policy.error} onRetry={policy.reload} />
        )}
      </section>
    </>
  );
}
