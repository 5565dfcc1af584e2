// The delivery log's filters live in the address (`?endpoint_id=…&status=…&event_type=…`), so an
// endpoint can link to its own deliveries and a filtered log can be shared. Values the API would
// refuse are dropped rather than sent.
import {
  DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
  type WebhookDelivery,
  type WebhookEventType,
} from "@nexus/contracts";

export type DeliveryStatus = WebhookDelivery["status"];

export interface DeliveryFilters {
  endpointId?: string;
  status?: DeliveryStatus;
  eventType?: WebhookEventType;
}

const isStatus = (value: string): value is DeliveryStatus =>
  (DELIVERY_STATUSES as readonly string[]).includes(value);
const isEventType = (value: string): value is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

/** Reads the filters from a query string (with or without its `?`). */
export function deliveryFiltersFrom(search: string): DeliveryFilters {
  const query = new URLSearchParams(search);
  const endpointId = query.get("endpoint_id") ?? "";
  const status = query.get("status") ?? "";
  const eventType = query.get("event_type") ?? "";
  return {
    ...(endpointId && endpointId.length <= 64 ? { endpointId } : {}),
    ...(isStatus(status) ? { status } : {}),
    ...(isEventType(eventType) ? { eventType } : {}),
  };
}

/** The query string for `filters`: "" when there are none, else starting with `?`. */
export function deliveryFiltersQuery(filters: DeliveryFilters): string {
  const query = new URLSearchParams();
  if (filters.endpointId) query.set("endpoint_id", filters.endpointId);
  if (filters.status) query.set("status", filters.status);
  if (filters.eventType) query.set("event_type", filters.eventType);
  const text = query.toString();
  return text ? `?${text}` : "";
}

export const hasDeliveryFilters = (filters: DeliveryFilters): boolean =>
  Boolean(filters.endpointId || filters.status || filters.eventType);

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: "Pending",
  succeeded: "Delivered",
  failed: "Failed",
};
