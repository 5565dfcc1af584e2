// The delivery log: every event sent to the company's endpoints, newest first, filtered by the API
// (endpoint, status, event type; the filters live in the address). A row opens its attempts and
// payload. While deliveries are in flight the first page is read again every few seconds.
import {
  DELIVERY_STATUSES,
  routes,
  WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookEndpoint,
} from "@nexus/contracts";
import { useCallback, useEffect, useId, useState } from "react";
import { FilterSelect } from "../../components/field.tsx";
import { PagedTable } from "../../components/paged-table.tsx";
import { columnHeaders } from "../../components/row-details.tsx";
import { EmptyState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { navigate, useLocation } from "../../lib/router.ts";
import { useNow } from "../../lib/timing.ts";
import { usePagedList, useRefreshWhile } from "../../lib/use-paged-list.ts";
import { DELIVERY_COLUMNS, DeliveryRows } from "./webhooks-delivery-row.tsx";
import {
  DELIVERY_STATUS_LABELS,
  type DeliveryFilters,
  deliveryFiltersFrom,
  deliveryFiltersQuery,
  hasDeliveryFilters,
} from "./webhooks-filters.ts";

const PAGE_SIZE = 25;
const REFRESH_MS = 2_000;
/** After a redelivery is queued, how long the log keeps looking for its outcome. */
const WATCH_AFTER_REDELIVERY_MS = 30_000;

export function WebhookDeliveries({
  companyId,
  endpoints,
}: {
  companyId: string;
  /** To name each delivery's endpoint and to filter by one; empty while loading. */
  endpoints: readonly WebhookEndpoint[];
}) {
  const id = useId();
  const location = useLocation();
  const [path = "", search = ""] = location.split("?");
  const filters = deliveryFiltersFrom(search);
  const { endpointId, status, eventType } = filters;
  const filtered = hasDeliveryFilters(filters);
  const now = useNow();
  const [openId, setOpenId] = useState<string | null>(null);
  const [watchingRedelivery, setWatchingRedelivery] = useState(false);
  useEffect(() => {
    if (!watchingRedelivery) return;
    const timer = setTimeout(() => setWatchingRedelivery(false), WATCH_AFTER_REDELIVERY_MS);
    return () => clearTimeout(timer);
  }, [watchingRedelivery]);

  const setFilters = (next: DeliveryFilters) =>
    navigate(`${path}${deliveryFiltersQuery(next)}`, { replace: true });

  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listWebhookDeliveries, {
          params: { companyId },
          query: { endpoint_id: endpointId, status, event_type: eventType, limit: PAGE_SIZE, cursor },
          signal,
        });
        return { items: page.deliveries, nextCursor: page.next_cursor };
      },
      [companyId, endpointId, status, eventType],
    ),
  );

  // Read the first page again while something on it is in flight (or a redelivery was just queued),
  // unless more pages are open: reloading would fold them away under the reader.
  const { reload, data: firstPage, loading } = list;
  const inFlight = firstPage?.items.some((delivery) => delivery.status === "pending") ?? false;
  const onlyFirstPage = list.items.length === (firstPage?.items.length ?? 0);
  useRefreshWhile((inFlight || watchingRedelivery) && onlyFirstPage, loading, reload, REFRESH_MS);

  const endpointUrl = (endpointIdOf: string) =>
    endpoints.find((endpoint) => endpoint.id === endpointIdOf)?.url ?? "a deleted endpoint";
  // An id from the address that is not (or no longer) listed still shows as the chosen filter.
  const unlisted = endpointId && !endpoints.some((endpoint) => endpoint.id === endpointId);
  const endpointOptions = [
    ...endpoints.map((endpoint) => ({ value: endpoint.id, label: endpoint.url })),
    ...(unlisted ? [{ value: endpointId, label: `Endpoint ${endpointId}` }] : []),
  ];
  const clearFilters = (
    <button type="button" className="button button-quiet" onClick={() => setFilters({})}>
      Clear filters
    </button>
  );

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <div className="panel-header">
        <h2 id={`${id}-heading`}>Delivery log</h2>
        <button
          type="button"
          className="button button-quiet panel-action"
          onClick={reload}
          disabled={loading}
        >
          {loading ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <search className="filters">
        <FilterSelect
          label="Endpoint"
          value={endpointId}
          options={endpointOptions}
          onChange={(value) => setFilters({ ...filters, endpointId: value })}
        />
        <FilterSelect
          label="Status"
          value={status}
          options={DELIVERY_STATUSES.map((value) => ({ value, label: DELIVERY_STATUS_LABELS[value] }))}
          onChange={(value) =>
            setFilters({ ...filters, status: DELIVERY_STATUSES.find((known) => known === value) })
          }
        />
        <FilterSelect
          label="Event"
          value={eventType}
          options={WEBHOOK_EVENT_TYPES.map((value) => ({ value, label: value }))}
          onChange={(value) =>
            setFilters({ ...filters, eventType: WEBHOOK_EVENT_TYPES.find((known) => known === value) })
          }
        />
        {filtered && clearFilters}
      </search>

      <PagedTable
        list={list}
        caption={`Webhook deliveries${filtered ? " matching the filters" : ""}, newest first`}
        loading="Loading deliveries…"
        columns={columnHeaders(DELIVERY_COLUMNS)}
        empty={
          <EmptyState title={filtered ? "No delivery matches these filters" : "No deliveries yet"}>
            {filtered ? (
              clearFilters
            ) : (
              <p>Events sent to the company's endpoints appear here, with every attempt.</p>
            )}
          </EmptyState>
        }
        row={(delivery: WebhookDelivery) => (
          <DeliveryRows
            key={delivery.id}
            companyId={companyId}
            delivery={delivery}
            endpointUrl={endpointUrl(delivery.endpoint_id)}
            now={now}
            open={openId === delivery.id}
            onToggle={() => setOpenId(openId === delivery.id ? null : delivery.id)}
            onRedelivered={() => {
              setWatchingRedelivery(true);
              reload();
            }}
          />
        )}
      />
    </section>
  );
}
