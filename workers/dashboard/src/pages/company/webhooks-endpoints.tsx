// The company's webhook endpoints: the list, a form for a new one, and a secret shown once.
import { WEBHOOK_DELIVERY, type WebhookEndpoint } from "@nexus/contracts";
import { useRef, useState } from "react";
import { EmptyState, Loaded } from "../../components/states.tsx";
import type { AsyncState } from "../../lib/use-async.ts";
import { EndpointCard } from "./webhooks-endpoint-card.tsx";
import { EndpointForm } from "./webhooks-endpoint-form.tsx";
import { type RevealedSecret, SecretReveal } from "./webhooks-secret.tsx";

export function WebhookEndpoints({
  companyId,
  endpoints,
}: {
  companyId: string;
  endpoints: AsyncState<WebhookEndpoint[]>;
}) {
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<RevealedSecret | null>(null);
  const [notice, setNotice] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const { reload } = endpoints;

  function stopCreating() {
    setCreating(false);
    requestAnimationFrame(() => addButton.current?.focus());
  }

  return (
    <section className="panel" aria-labelledby="endpoints-heading">
      <div className="panel-header">
        <h2 id="endpoints-heading" tabIndex={-1} ref={heading}>
          Endpoints
        </h2>
        {!creating && (
          <button
            ref={addButton}
            type="button"
            className="button button-primary panel-action"
            onClick={() => {
              setNotice("");
              setCreating(true);
            }}
          >
            Add endpoint
          </button>
        )}
      </div>
      <p className="muted small">
        Nexus Central POSTs the events you choose to these URLs, signed with the endpoint's secret (Standard
        Webhooks), and tries each delivery up to {WEBHOOK_DELIVERY.maxAttempts} times before giving up.
      </p>
      <p role="status" className="small">
        {notice}
      </p>

      {revealed && (
        <SecretReveal
          key={`${revealed.endpointId}-${revealed.secret}`}
          revealed={revealed}
          onDone={() => {
            setRevealed(null);
            heading.current?.focus();
          }}
        />
      )}

      {creating && (
        <EndpointForm
          companyId={companyId}
          onCancel={stopCreating}
          onCreated={(endpoint, secret) => {
            setCreating(false);
            setRevealed({ endpointId: endpoint.id, url: endpoint.url, secret, reason: "created" });
            reload();
          }}
        />
      )}

      <Loaded state={endpoints} loading="Loading endpoints…">
        {(list) =>
          list.length === 0 ? (
            creating ? null : (
              <EmptyState title="No endpoints yet">
                <p>Add one to have the company's events sent to your own systems.</p>
              </EmptyState>
            )
          ) : (
            <ul className="endpoint-list">
              {list.map((endpoint) => (
                <li key={endpoint.id}>
                  <EndpointCard
                    companyId={companyId}
                    endpoint={endpoint}
                    onChanged={reload}
                    onDeleted={() => {
                      setNotice(`Deleted the endpoint ${endpoint.url}.`);
                      if (revealed?.endpointId === endpoint.id) setRevealed(null);
                      reload();
                      heading.current?.focus();
                    }}
                    onSecret={(secret) =>
                      setRevealed({ endpointId: endpoint.id, url: endpoint.url, secret, reason: "rotated" })
                    }
                  />
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </section>
  );
}
