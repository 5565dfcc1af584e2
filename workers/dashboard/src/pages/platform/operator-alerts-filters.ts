// The alert list's filters live in the address (`?status=resolved&kind=tenant_pool_low`), so a view
// can be linked. Without a status the open alerts show (what needs a person); `status=any` lists all.
import {
  OPERATOR_ALERT_KINDS,
  type OperatorAlertKind,
  OperatorAlertKindSchema,
  OperatorAlertStatusSchema,
} from "@nexus/contracts";

export type AlertStatusFilter = "open" | "resolved" | "any";

export interface AlertFilters {
  status: AlertStatusFilter;
  kind?: OperatorAlertKind;
}

export const ALERT_KIND_LABELS: Record<OperatorAlertKind, string> = {
  tenant_pool_low: "Tenant pool low",
  dead_letters_growing: "Dead letters growing",
  webhooks_failing: "Webhooks failing",
};

export const ALERT_KIND_CHOICES = OPERATOR_ALERT_KINDS.map((value) => ({
  value,
  label: ALERT_KIND_LABELS[value],
}));

/** Reads the filters from a query string (with or without its `?`); unknown values are dropped. */
export function alertFiltersFrom(search: string): AlertFilters {
  const query = new URLSearchParams(search);
  const status = query.get("status");
  const kind = OperatorAlertKindSchema.safeParse(query.get("kind"));
  const filters: AlertFilters = {
    status: status === "any" ? "any" : (OperatorAlertStatusSchema.safeParse(status).data ?? "open"),
  };
  if (kind.success) filters.kind = kind.data;
  return filters;
}

/** The query string for `filters` ("" for the default view, else starting with `?`). */
export function alertFiltersQuery(filters: AlertFilters): string {
  const query = new URLSearchParams();
  if (filters.status !== "open") query.set("status", filters.status);
  if (filters.kind) query.set("kind", filters.kind);
  const text = query.toString();
  return text ? `?${text}` : "";
}

/** What the API's list takes for these filters. */
export const alertListQuery = (filters: AlertFilters) => ({
  status: filters.status === "any" ? undefined : filters.status,
  kind: filters.kind,
});

/** An alert's figures as label and text, in the order the check recorded them. */
export function alertDetailEntries(details: Record<string, unknown>): [string, string][] {
  return Object.entries(details).map(([key, value]) => [
    key.replace(/_/g, " "),
    typeof value === "string" ? value : JSON.stringify(value),
  ]);
}
