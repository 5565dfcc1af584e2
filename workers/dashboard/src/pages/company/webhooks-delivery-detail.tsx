// One delivery opened in the log: its payload, every attempt (status code, latency, error, the start
// of the endpoint's answer), when it is tried next, and a button to send it again.
import { routes, type WebhookDelivery } from "@nexus/contracts";
import { useCallback, useState } from "react";
import { ErrorState, Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAction } from "../../lib/use-action.ts";
import { useAsync, useReloadOnChange } from "../../lib/use-async.ts";

const when = (iso: string | null, none: string) =>
  iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <span className="muted">{none}</span>;

export function DeliveryDetail({
  companyId,
  delivery,
  id,
  onRedelivered,
}: {
  companyId: string;
  delivery: WebhookDelivery;
  /** For the row's button to point at (aria-controls). */
  id: string;
  onRedelivered: () => void;
}) {
  const detail = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.getWebhookDelivery, { params: { companyId, deliveryId: delivery.id }, signal }),
      [companyId, delivery.id],
    ),
  );
  // The log's row is refreshed while the delivery is in flight: when it moves, so does the detail.
  useReloadOnChange(`${delivery.status}:${delivery.attempts}`, detail.reload);

  const [queued, setQueued] = useState(false);
  const redeliver = useAction(
    useCallback(
      () => callApi(routes.redeliverWebhook, { params: { companyId, deliveryId: delivery.id } }),
      [companyId, delivery.id],
    ),
  );

  async function redeliverNow() {
    setQueued(false);
    if (await redeliver.run()) {
      setQueued(true);
      onRedelivered();
    }
  }

  return (
    <section id={id} className="delivery-detail" aria-label={`Details of delivery ${delivery.id}`}>
      <Loaded state={detail} loading="Loading the delivery…">
        {({ delivery: current, payload, attempts }) => (
          <>
            <dl className="delivery-facts small">
              <div>
                <dt>Event id</dt>
                <dd className="mono">{current.event_id}</dd>
              </div>
              <div>
                <dt>Created</dt>
                <dd>{when(current.created_at, "—")}</dd>
              </div>
              <div>
                <dt>Delivered</dt>
                <dd>{when(current.delivered_at, "not yet")}</dd>
              </div>
              <div>
                <dt>Next attempt</dt>
                <dd>{when(current.next_attempt_at, current.status === "pending" ? "queued" : "none")}</dd>
              </div>
            </dl>

            <h4>Attempts</h4>
            {attempts.length === 0 ? (
              <p className="muted small">No attempt yet: the delivery is queued.</p>
            ) : (
              <div className="table-scroll">
                <table className="attempts">
                  <caption className="visually-hidden">Attempts of delivery {current.id}</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">At</th>
                      <th scope="col">Status code</th>
                      <th scope="col">Latency</th>
                      <th scope="col">Response</th>
                    </tr>
                  </thead>
                  <tbody>
                    {attempts.map((attempt) => (
                      <tr key={attempt.attempt}>
                        <th scope="row">{attempt.attempt}</th>
                        <td>{when(attempt.attempted_at, "—")}</td>
                        <td>{attempt.status_code ?? <span className="muted">none</span>}</td>
                        <td>{attempt.latency_ms} ms</td>
                        <td className="response-cell">
                          {attempt.error && <p className="form-error small">{attempt.error}</p>}
                          {attempt.response_body ? (
                            <pre className="excerpt">{attempt.response_body}</pre>
                          ) : (
                            <span className="muted">empty</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}

            <details className="payload">
              <summary>Payload</summary>
              <pre className="excerpt">{JSON.stringify(payload, null, 2)}</pre>
            </details>

            <div className="form-actions">
              <button type="button" className="button" onClick={redeliverNow} disabled={redeliver.pending}>
                {redeliver.pending ? "Queueing…" : "Redeliver"}
              </button>
              <p role="status" className="small">
                {queued ? "Queued again with the same event id and payload." : ""}
              </p>
            </div>
            {redeliver.error !== undefined && <ErrorState error={redeliver.error} />}
          </>
        )}
      </Loaded>
    </section>
  );
}
