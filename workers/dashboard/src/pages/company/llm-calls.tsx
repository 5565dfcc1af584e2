// The gateway's call log, newest first: filters by model, provider, API key and status (in the
// address), more calls loaded as the reader scrolls (and "Load more" for keyboards), each call's
// attempts — and its prompt and output when the company keeps them — on demand.
import { LlmCallStatusSchema, routes } from "@nexus/contracts";
import { useCallback, useState } from "react";
import { FilterSelect } from "../../components/field.tsx";
import { PagedTable } from "../../components/paged-table.tsx";
import { columnHeaders } from "../../components/row-details.tsx";
import { EmptyState } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { navigate, useLocation } from "../../lib/router.ts";
import { useInfiniteScroll } from "../../lib/use-infinite-scroll.ts";
import { usePagedList } from "../../lib/use-paged-list.ts";
import { type CallFilters, callFiltersFrom, callFiltersQuery, hasCallFilters } from "./llm-call-filters.ts";
import { CALL_COLUMNS, CallRows } from "./llm-call-row.tsx";
import {
  apiKeyName,
  CALL_STATUS_LABELS,
  type LlmCall,
  type LlmData,
  PROVIDER_LABELS,
  PROVIDERS,
} from "./llm-data.ts";
import { RefreshButton } from "./llm-parts.tsx";

const PAGE_SIZE = 50;

export function LlmCallLog({ companyId, data }: { companyId: string; data: LlmData }) {
  const [path = "", search = ""] = useLocation().split("?");
  const filters = callFiltersFrom(search);
  const query = callFiltersQuery(filters);
  const filtered = hasCallFilters(filters);
  const [openId, setOpenId] = useState<string | null>(null);
  const setFilters = (next: CallFilters) => navigate(`${path}${callFiltersQuery(next)}`, { replace: true });

  const list = usePagedList(
    useCallback(
      async (cursor: string | undefined, signal?: AbortSignal) => {
        const { model, provider, apiKeyId, status } = callFiltersFrom(query);
        const page = await callApi(routes.listLlmCalls, {
          params: { companyId },
          query: { model, provider, api_key_id: apiKeyId, status, limit: PAGE_SIZE, cursor },
          signal,
        });
        return { items: page.calls, nextCursor: page.next_cursor };
      },
      [companyId, query],
    ),
  );
  const { hasMore, loadMore, loadingMore, moreError, data: firstPage, items } = list;
  const sentinel = useInfiniteScroll(
    loadMore,
    firstPage !== undefined && hasMore && !loadingMore && moreError === undefined,
  );

  const models = data.policy.data?.models.map((model) => ({ value: model.name, label: model.name })) ?? [];
  const clear = (
    <button type="button" className="button button-quiet" onClick={() => setFilters({})}>
      Clear filters
    </button>
  );
  const callerOf = (call: LlmCall) =>
    call.installation_id ? `Installation ${call.installation_id}` : apiKeyName(data.apiKeys, call.api_key_id);

  return (
    <section className="panel" aria-labelledby="llm-calls-heading">
      <div className="panel-header">
        <h2 id="llm-calls-heading">Call log</h2>
        <span className="muted small" role="status">
          {firstPage
            ? `${items.length} ${items.length === 1 ? "call" : "calls"}${hasMore ? " loaded, more below" : ""}`
            : ""}
        </span>
        <RefreshButton state={list} />
      </div>
      <search className="filters">
        <FilterSelect
          label="Model"
          value={filters.model}
          options={models}
          onChange={(model) => setFilters({ ...filters, model })}
        />
        <FilterSelect
          label="Provider"
          value={filters.provider}
          options={PROVIDERS.map((value) => ({ value, label: PROVIDER_LABELS[value] }))}
          onChange={(value) =>
            setFilters({ ...filters, provider: PROVIDERS.find((known) => known === value) })
          }
        />
        <FilterSelect
          label="API key"
          value={filters.apiKeyId}
          options={data.apiKeys.map((key) => ({ value: key.id, label: key.name }))}
          onChange={(apiKeyId) => setFilters({ ...filters, apiKeyId })}
        />
        <FilterSelect
          label="Status"
          value={filters.status}
          options={LlmCallStatusSchema.options.map((value) => ({ value, label: CALL_STATUS_LABELS[value] }))}
          onChange={(value) =>
            setFilters({ ...filters, status: LlmCallStatusSchema.options.find((known) => known === value) })
          }
        />
        {filtered && clear}
      </search>
      <PagedTable
        list={list}
        caption={`LLM calls${filtered ? " matching the filters" : ""}, newest first`}
        loading="Loading calls…"
        columns={columnHeaders(CALL_COLUMNS)}
        empty={
          <EmptyState title={filtered ? "No call matches these filters" : "No calls yet"}>
            {filtered ? clear : <p>Every call through the gateway is logged here, failed ones included.</p>}
          </EmptyState>
        }
        row={(call: LlmCall) => (
          <CallRows
            key={call.id}
            call={call}
            caller={callerOf(call)}
            open={openId === call.id}
            onToggle={() => setOpenId(openId === call.id ? null : call.id)}
          />
        )}
      />
      {hasMore && <div ref={sentinel} className="scroll-sentinel" aria-hidden="true" />}
    </section>
  );
}
