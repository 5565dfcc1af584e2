// One delivery in the log: its event, endpoint, outcome and a button that opens its details (in a
// row of their own below it).
import type { WebhookDelivery } from "@nexus/contracts";
import { useId } from "react";
import { type Column, DetailRow, DetailsButton } from "../../components/row-details.tsx";
import { formatDateTime, timeAgo } from "../../lib/format.ts";
import { DeliveryDetail } from "./webhooks-delivery-detail.tsx";
import { DELIVERY_STATUS_LABELS, type DeliveryStatus } from "./webhooks-filters.ts";

const STATUS_BADGES: Record<DeliveryStatus, string> = {
  pending: "badge-offline",
  succeeded: "badge-online",
  failed: "badge-inactive",
};

export const DELIVERY_COLUMNS: readonly Column[] = [
  { label: "Event" },
  { label: "Endpoint" },
  { label: "Status" },
  { label: "Last response" },
  { label: "Created", className: "wide-only" },
  { label: "Details", hidden: true },
];

export function DeliveryRows({
  companyId,
  delivery,
  endpointUrl,
  now,
  open,
  onToggle,
  onRedelivered,
}: {
  companyId: string;
  delivery: WebhookDelivery;
  /** The endpoint's URL, or words for one that is gone. */
  endpointUrl: string;
  now: number;
  open: boolean;
  onToggle: () => void;
  onRedelivered: () => void;
}) {
  const detailId = useId();
  const lastOutcome =
    delivery.last_status_code !== null ? (
      <span>HTTP {delivery.last_status_code}</span>
    ) : delivery.last_error ? (
      <span className="break">{delivery.last_error}</span>
    ) : (
      <span className="muted">—</span>
    );
  return (
    <>
      <tr>
        <th scope="row">
          <span className="mono">{delivery.event_type}</span>
          <span className="muted small">
            <time dateTime={delivery.created_at} title={formatDateTime(delivery.created_at)}>
              {timeAgo(delivery.created_at, now)}
            </time>
          </span>
        </th>
        <td className="mono small break">{endpointUrl}</td>
        <td>
          <span className={`badge ${STATUS_BADGES[delivery.status]}`}>
            <span className="dot" aria-hidden="true" />
            {DELIVERY_STATUS_LABELS[delivery.status]}
          </span>
          <span className="muted small block">
            {delivery.attempts} attempt{delivery.attempts === 1 ? "" : "s"}
          </span>
        </td>
        <td>
          {lastOutcome}
          {delivery.last_latency_ms !== null && (
            <span className="muted small block">{delivery.last_latency_ms} ms</span>
          )}
        </td>
        <td className="wide-only">
          <time dateTime={delivery.created_at}>{formatDateTime(delivery.created_at)}</time>
        </td>
        <td>
          <DetailsButton
            open={open}
            onToggle={onToggle}
            controls={detailId}
            of={`of the ${delivery.event_type} delivery`}
          />
        </td>
      </tr>
      <DetailRow open={open} columns={DELIVERY_COLUMNS.length}>
        <DeliveryDetail
          id={detailId}
          companyId={companyId}
          delivery={delivery}
          onRedelivered={onRedelivered}
        />
      </DetailRow>
    </>
  );
}
