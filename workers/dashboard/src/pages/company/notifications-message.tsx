// One message in the notification history: workflow, recipient, channel, status (with why), and a
// button that opens the message itself and every provider attempt in a row below it.
import {
  type NotificationChannel,
  type NotificationMessage,
  type NotificationStatus,
  routes,
} from "@nexus/contracts";
import { useCallback, useId } from "react";
import { type Column, DetailRow, DetailsButton } from "../../components/row-details.tsx";
import { Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import { useAsync, useReloadOnChange } from "../../lib/use-async.ts";
import { recipientLabel } from "./notifications-filters.ts";

export const STATUS_LABELS: Record<NotificationStatus, string> = {
  queued: "Queued",
  sent: "Sent",
  delivered: "Delivered",
  bounced: "Bounced",
  undelivered: "Undelivered",
  not_sent: "Not sent",
};

const STATUS_BADGES: Record<NotificationStatus, string> = {
  queued: "badge-offline",
  sent: "badge-offline",
  delivered: "badge-online",
  bounced: "badge-inactive",
  undelivered: "badge-inactive",
  not_sent: "badge-offline",
};

export const CHANNEL_LABELS: Record<NotificationChannel, string> = {
  email: "Email",
  sms: "SMS",
  push: "Push",
  in_app: "In-app",
};

export const MESSAGE_COLUMNS: readonly Column[] = [
  { label: "Workflow" },
  { label: "Recipient" },
  { label: "Channel" },
  { label: "Status" },
  { label: "Subject", className: "wide-only" },
  { label: "Details", hidden: true },
];

export function StatusBadge({ status }: { status: NotificationStatus }) {
  return (
    <span className={`badge ${STATUS_BADGES[status]}`}>
      <span className="dot" aria-hidden="true" />
      {STATUS_LABELS[status]}
    </span>
  );
}

const when = (iso: string | null, none: string) =>
  iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <span className="muted">{none}</span>;

export function MessageRows({
  companyId,
  message,
  names,
  now,
  open,
  onToggle,
}: {
  companyId: string;
  message: NotificationMessage;
  names: ReadonlyMap<string, string>;
  now: number;
  open: boolean;
  onToggle: () => void;
}) {
  const detailId = useId();
  return (
    <>
      <tr>
        <th scope="row">
          <span className="mono">{message.workflow}</span>
          {message.critical && <span className="badge badge-inactive">Critical</span>}
          <span className="muted small block">
            <time dateTime={message.created_at} title={formatDateTime(message.created_at)}>
              {timeAgo(message.created_at, now)}
            </time>
          </span>
        </th>
        <td className="break">
          {recipientLabel(message.recipient_key, names)}
          {message.address && message.address !== recipientLabel(message.recipient_key, names) && (
            <span className="muted small block">{message.address}</span>
          )}
        </td>
        <td>{CHANNEL_LABELS[message.channel]}</td>
        <td>
          <StatusBadge status={message.status} />
          {message.status_reason && <span className="muted small block">{message.status_reason}</span>}
          {message.scheduled_for && message.status === "queued" && (
            <span className="muted small block">held until {formatDateTime(message.scheduled_for)}</span>
          )}
        </td>
        <td className="wide-only break">{message.subject ?? <span className="muted">—</span>}</td>
        <td>
          <DetailsButton
            open={open}
            onToggle={onToggle}
            controls={detailId}
            of={`of the ${message.workflow} ${CHANNEL_LABELS[message.channel]} message to ${recipientLabel(message.recipient_key, names)}`}
          />
        </td>
      </tr>
      <DetailRow open={open} columns={MESSAGE_COLUMNS.length}>
        <MessageDetail id={detailId} companyId={companyId} message={message} />
      </DetailRow>
    </>
  );
}

function MessageDetail({
  id,
  companyId,
  message,
}: {
  id: string;
  companyId: string;
  message: NotificationMessage;
}) {
  const detail = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.getNotificationMessage, { params: { companyId, messageId: message.id }, signal }),
      [companyId, message.id],
    ),
  );
  // The history row is refreshed while the message moves: so is its detail.
  useReloadOnChange(`${message.status}:${message.attempts}`, detail.reload);

  return (
    <section id={id} className="delivery-detail" aria-label={`Message ${message.id}`}>
      <Loaded state={detail} loading="Loading the message…">
        {({ message: current, attempts }) => (
          <>
            <dl className="delivery-facts small">
              <div>
                <dt>Message id</dt>
                <dd className="mono">{current.id}</dd>
              </div>
              <div>
                <dt>Category</dt>
                <dd>{current.category}</dd>
              </div>
              <div>
                <dt>Locale</dt>
                <dd>{current.locale}</dd>
              </div>
              <div>
                <dt>Provider</dt>
                <dd>
                  {current.provider ?? <span className="muted">none yet</span>}
                  {current.provider_message_id && (
                    <span className="mono muted block">{current.provider_message_id}</span>
                  )}
                </dd>
              </div>
              <div>
                <dt>Sent</dt>
                <dd>{when(current.sent_at, "not yet")}</dd>
              </div>
              <div>
                <dt>Delivered</dt>
                <dd>{when(current.delivered_at, "not yet")}</dd>
              </div>
              {current.channel === "in_app" && (
                <div>
                  <dt>Read</dt>
                  <dd>{when(current.read_at, "not yet")}</dd>
                </div>
              )}
              {current.idempotency_key && (
                <div>
                  <dt>Idempotency key</dt>
                  <dd className="mono break">{current.idempotency_key}</dd>
                </div>
              )}
            </dl>

            <h4>Attempts</h4>
            {attempts.length === 0 ? (
              <p className="muted small">
                {current.status === "not_sent"
                  ? "None: the message was not sent."
                  : "No provider call yet: the message is queued."}
              </p>
            ) : (
              <div className="table-scroll">
                <table className="attempts">
                  <caption className="visually-hidden">Attempts of message {current.id}</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">At</th>
                      <th scope="col">Provider</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">HTTP</th>
                      <th scope="col">Latency</th>
                      <th scope="col">Retry after</th>
                    </tr>
                  </thead>
                  <tbody>
                    {attempts.map((attempt) => (
                      <tr key={attempt.id}>
                        <th scope="row">{attempt.attempt}</th>
                        <td>{when(attempt.created_at, "—")}</td>
                        <td>{attempt.provider}</td>
                        <td>
                          {attempt.outcome}
                          {attempt.error && <p className="form-error small">{attempt.error}</p>}
                        </td>
                        <td>{attempt.http_status ?? <span className="muted">—</span>}</td>
                        <td>{attempt.latency_ms === null ? "—" : `${attempt.latency_ms} ms`}</td>
                        <td>
                          {attempt.retry_delay_seconds === null ? "—" : `${attempt.retry_delay_seconds} s`}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}

            <details className="payload">
              <summary>Message</summary>
              {current.subject && <p className="small">{current.subject}</p>}
              <pre className="excerpt">{current.body}</pre>
            </details>
          </>
        )}
      </Loaded>
    </section>
  );
}
