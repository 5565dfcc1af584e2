// Operator alerts: conditions of the platform that need a person (the tenant pool running low, dead
// letters piling up, a company's webhook endpoints failing), raised by the five-minute check and mailed
// to the operators. Each shows what the check saw; Resolve closes one (a condition that still holds
// raises a new alert at the next check). Filters live in the address; open alerts by default.
import { type OperatorAlert, type OperatorAlertKind, routes } from "@nexus/contracts";
import { useCallback, useState } from "react";
import { type Choice, FilterSelect, SelectField } from "../../components/field.tsx";
import { Link } from "../../components/link.tsx";
import { PagedTable } from "../../components/paged-table.tsx";
import { columnHeaders } from "../../components/row-details.tsx";
import { EmptyState, ErrorState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { navigate, useLocation } from "../../lib/router.ts";
import { useAction } from "../../lib/use-action.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import { companyPath } from "../company/section.ts";
import { useDocumentTitle } from "../title.ts";
import {
  ALERT_KIND_CHOICES,
  ALERT_KIND_LABELS,
  type AlertFilters,
  type AlertStatusFilter,
  alertDetailEntries,
  alertFiltersFrom,
  alertFiltersQuery,
  alertListQuery,
} from "./operator-alerts-filters.ts";
import "../../styles/platform.css";

const STATUSES: readonly Choice<AlertStatusFilter>[] = [
  { value: "open", label: "Open" },
  { value: "resolved", label: "Resolved" },
  { value: "any", label: "Any" },
];
const COLUMNS = [
  { label: "Raised" },
  { label: "Alert" },
  { label: "What the check saw" },
  { label: "Status" },
  { label: "Actions", hidden: true },
] as const;

export function OperatorAlertsPage() {
  useDocumentTitle("Alerts");
  const [path = "", search = ""] = useLocation().split("?");
  const filters = alertFiltersFrom(search);
  const query = alertFiltersQuery(filters);
  const show = (next: AlertFilters) => navigate(`${path}${alertFiltersQuery(next)}`);
  const [outcome, setOutcome] = useState<string>();

  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listOperatorAlerts, {
          query: { ...alertListQuery(alertFiltersFrom(query)), cursor },
          signal,
        });
        return { items: page.alerts, nextCursor: page.next_cursor };
      },
      [query],
    ),
  );
  const resolve = useAction(
    useCallback(
      async (alert: OperatorAlert) => {
        await callApi(routes.resolveOperatorAlert, { params: { alertId: alert.id } });
        setOutcome(`Resolved “${alert.subject}”.`);
        list.reload();
      },
      [list.reload],
    ),
  );

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1 tabIndex={-1}>Alerts</h1>
          <p className="muted">
            Conditions of the platform that need an operator, checked every five minutes and mailed to the
            operators' addresses (OPERATOR_ALERT_EMAILS). An alert resolves by itself once its condition is
            gone; resolving one here while the condition holds raises a new one at the next check.
          </p>
        </div>
      </div>
      <section className="panel operator-alerts" aria-labelledby="operator-alerts-heading">
        <h2 id="operator-alerts-heading">Operator alerts</h2>
        <search className="filters">
          <SelectField
            label="Status"
            value={filters.status}
            choices={STATUSES}
            onChange={(status) => show({ ...filters, status })}
          />
          <FilterSelect
            label="Kind"
            value={filters.kind}
            options={ALERT_KIND_CHOICES}
            onChange={(value) =>
              show({ ...filters, kind: ALERT_KIND_CHOICES.find((choice) => choice.value === value)?.value })
            }
          />
        </search>
        <p role="status" className="muted">
          {outcome}
        </p>
        {resolve.error !== undefined && <ErrorState error={resolve.error} />}
        <PagedTable
          list={list}
          caption="Operator alerts, newest first"
          loading="Loading alerts…"
          empty={
            <EmptyState title={filters.status === "any" ? "No alerts" : `No ${filters.status} alerts`} />
          }
          columns={columnHeaders(COLUMNS)}
          row={(alert) => (
            <AlertRow
              key={alert.id}
              alert={alert}
              resolving={resolve.pending}
              onResolve={() => {
                setOutcome(undefined);
                void resolve.run(alert);
              }}
            />
          )}
        />
      </section>
    </div>
  );
}

const kindLabel = (kind: OperatorAlertKind) => ALERT_KIND_LABELS[kind];

function AlertRow({
  alert,
  resolving,
  onResolve,
}: {
  alert: OperatorAlert;
  resolving: boolean;
  onResolve: () => void;
}) {
  const details = alertDetailEntries(alert.details);
  return (
    <tr>
      <th scope="row">
        <time dateTime={alert.created_at}>{formatDateTime(alert.created_at)}</time>
      </th>
      <td className="alert-text">
        <span className="muted small block">{kindLabel(alert.kind)}</span>
        <strong className="block">{alert.subject}</strong>
        <p className="alert-body">{alert.body}</p>
        {alert.company_id && <Link href={companyPath(alert.company_id)}>Open the company</Link>}
      </td>
      <td>
        {details.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <dl className="alert-details">
            {details.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        )}
        <span className="muted small block">
          {alert.delivered_to.length > 0 ? `Mailed to ${alert.delivered_to.join(", ")}` : "Not mailed"}
        </span>
      </td>
      <td>
        <span className={`badge ${alert.status === "open" ? "badge-warning" : "badge-online"}`}>
          {alert.status}
        </span>
        {alert.resolved_at && (
          <span className="muted small block">
            <time dateTime={alert.resolved_at}>{formatDateTime(alert.resolved_at)}</time>
          </span>
        )}
      </td>
      <td>
        {alert.status === "open" && (
          <button type="button" className="button" disabled={resolving} onClick={onResolve}>
            Resolve<span className="visually-hidden"> “{alert.subject}”</span>
          </button>
        )}
      </td>
    </tr>
  );
}
