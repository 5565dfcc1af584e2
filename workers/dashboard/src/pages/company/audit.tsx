// The company's audit log, newest first: the filters the API supports (in the address, so a
// filtered view can be linked), entries loaded as the reader scrolls (with a "Load more" button for
// keyboards and browsers without IntersectionObserver), and each entry's details on demand. Actors
// and targets are named by the API (actor_label, target_label), for every caller alike.
import { routes } from "@nexus/contracts";
import { useCallback, useState } from "react";
import { PagedTable } from "../../components/paged-table.tsx";
import { EmptyState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import {
  ACTOR_TYPES,
  type AuditFilters,
  auditApiQuery,
  auditQueryString,
  isFiltered,
  NO_FILTERS,
  parseAuditQuery,
} from "../../lib/audit-range.ts";
import { navigate, useLocation } from "../../lib/router.ts";
import { useAsync } from "../../lib/use-async.ts";
import { useInfiniteScroll } from "../../lib/use-infinite-scroll.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import { type AuditEntry, AuditEntryRows } from "./audit-entry.tsx";
import { AuditFilterForm } from "./audit-filters.tsx";
import type { CompanySectionProps } from "./section.ts";
import "../../styles/telemetry.css";

export function AuditSection({ company }: CompanySectionProps) {
  const companyId = company.id;
  const [path = "", search = ""] = useLocation().split("?");
  const filters = parseAuditQuery(search);
  // The list's input as one string, so the loader changes only when a filter does.
  const query = auditQueryString(filters);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  // The action filter matches whole names: the API lists the ones this company's log holds.
  const actions = useAsync(
    useCallback(
      (signal: AbortSignal) => callApi(routes.listAuditActions, { params: { companyId }, signal }),
      [companyId],
    ),
  );

  const show = (next: AuditFilters) => {
    const text = auditQueryString(next);
    navigate(text ? `${path}?${text}` : path);
  };

  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const page = await callApi(routes.listAuditLog, {
          params: { companyId },
          query: { ...auditApiQuery(parseAuditQuery(query)), cursor },
          signal,
        });
        return { items: page.entries, nextCursor: page.next_cursor };
      },
      [companyId, query],
    ),
  );
  const { items, hasMore, loadMore, loadingMore, moreError, data } = list;
  const sentinel = useInfiniteScroll(
    loadMore,
    data !== undefined && hasMore && !loadingMore && moreError === undefined,
  );

  const toggle = (id: string) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const narrow = (change: { action: string } | { actor_type: string; actor_id: string }) =>
    show(
      "action" in change
        ? { ...filters, action: change.action }
        : {
            ...filters,
            actor_type: ACTOR_TYPES.find((type) => type === change.actor_type) ?? "",
            actor_id: change.actor_id,
          },
    );
  const filtered = isFiltered(filters);
  const clear = (
    <button
      type="button"
      className="button button-quiet"
      onClick={() => show({ ...NO_FILTERS, limit: filters.limit })}
    >
      Clear filters
    </button>
  );

  return (
    <section className="panel" aria-labelledby="audit-heading">
      <div className="panel-header">
        <h2 id="audit-heading">Audit log</h2>
        <span className="muted small" role="status">
          {list.loading && data
            ? "Updating…"
            : data
              ? `${items.length} ${items.length === 1 ? "entry" : "entries"}${hasMore ? " loaded, more below" : ""}`
              : ""}
        </span>
      </div>
      <AuditFilterForm
        key={query}
        filters={filters}
        actions={actions.data?.actions.map((entry) => entry.action) ?? []}
        onApply={show}
        clear={clear}
      />
      <PagedTable
        list={list}
        caption={`Audit log${filtered ? " entries matching the filters" : ""}, newest first`}
        loading="Loading the audit log…"
        empty={
          filtered ? (
            <EmptyState title="No entry matches these filters">{clear}</EmptyState>
          ) : (
            <EmptyState title="Nothing recorded yet">
              <p>Changes to the company, its members, keys and settings are recorded here.</p>
            </EmptyState>
          )
        }
        columns={
          <>
            {["Time", "Action", "Actor"].map((name) => (
              <th key={name} scope="col">
                {name}
              </th>
            ))}
            <th scope="col" className="wide-only">
              Target
            </th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </>
        }
        row={(entry: AuditEntry) => (
          <AuditEntryRows
            key={entry.id}
            entry={entry}
            companyId={companyId}
            expanded={expanded.has(entry.id)}
            onToggle={() => toggle(entry.id)}
            onFilter={narrow}
          />
        )}
      />
      {hasMore && <div ref={sentinel} className="scroll-sentinel" aria-hidden="true" />}
    </section>
  );
}
