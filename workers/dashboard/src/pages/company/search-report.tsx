// Company section "Search" (owners and admins: search:analytics): what people searched over the last
// days — how many queries, how fast (p50/p99), the most frequent ones with their clicks, and the
// ones that found nothing (the words people use that the records lack). The period is in the address.
import "../../styles/search.css";
import { routes, type SearchReport } from "@nexus/contracts";
import { useCallback } from "react";
import { Card } from "../../components/card.tsx";
import { SelectField } from "../../components/field.tsx";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { callApi } from "../../lib/api.ts";
import { formatDateTime } from "../../lib/format.ts";
import { useAsync } from "../../lib/use-async.ts";
import { useQuery } from "./crm/query.ts";
import type { CompanySectionProps } from "./section.ts";

const PERIODS = [
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
  { value: "90", label: "Last 90 days" },
] as const;
type Period = (typeof PERIODS)[number]["value"];
const DEFAULT_PERIOD: Period = "30";

const percent = (part: number, whole: number): string =>
  whole === 0 ? "—" : `${Math.round((part / whole) * 100)} %`;
const milliseconds = (value: number | null): string => (value === null ? "—" : `${Math.round(value)} ms`);

export function SearchReportSection({ company }: CompanySectionProps) {
  const companyId = company.id;
  const [query, setQuery] = useQuery();
  const days = PERIODS.find((period) => period.value === query.get("days"))?.value ?? DEFAULT_PERIOD;
  const report = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.getSearchReport, { params: { companyId }, query: { days: Number(days) }, signal }),
      [companyId, days],
    ),
  );
  return (
    <>
      <search className="filters search-report-filters">
        <SelectField
          label="Period"
          value={days}
          choices={PERIODS}
          onChange={(value) => setQuery({ days: value === DEFAULT_PERIOD ? undefined : value })}
        />
        <button type="button" className="button button-quiet" onClick={report.reload}>
          Refresh
        </button>
      </search>
      <Loaded state={report} loading="Loading the search report…">
        {(data) => (
          <>
            <ReportCards report={data} />
            <QueryTable
              title="Top queries"
              caption="The most frequent queries, with how often a result was opened"
              empty="No searches in this period"
              queries={data.top_queries}
              clicks
            />
            <QueryTable
              title="Queries without results"
              caption="The most frequent queries that found nothing"
              empty="Every query found something"
              queries={data.zero_result_queries}
            />
          </>
        )}
      </Loaded>
    </>
  );
}

function ReportCards({ report }: { report: SearchReport }) {
  const { totals } = report;
  return (
    <div className="cards">
      <Card title="Queries">
        <p className="figure">{totals.queries}</p>
        <p className="muted small">since {formatDateTime(report.since)}</p>
      </Card>
      <Card title="Without results">
        <p className="figure">{totals.zero_result}</p>
        <p className="muted small">{percent(totals.zero_result, totals.queries)} of queries</p>
      </Card>
      <Card title="Opened a result">
        <p className="figure">{totals.clicked}</p>
        <p className="muted small">{percent(totals.clicked, totals.queries)} of queries</p>
      </Card>
      <Card title="Latency">
        <p className="figure">{milliseconds(totals.latency_p50_ms)}</p>
        <p className="muted small">median (p50); p99 {milliseconds(totals.latency_p99_ms)}</p>
      </Card>
    </div>
  );
}

function QueryTable({
  title,
  caption,
  empty,
  queries,
  clicks = false,
}: {
  title: string;
  caption: string;
  empty: string;
  queries: readonly (SearchReport["zero_result_queries"][number] & { clicks?: number })[];
  clicks?: boolean;
}) {
  const id = `report-${title.toLowerCase().replaceAll(" ", "-")}`;
  return (
    <section className="panel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {queries.length === 0 ? (
        <EmptyState title={empty} />
      ) : (
        <div className="table-scroll">
          <table className="report-queries">
            <caption className="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                <th scope="col">Query</th>
                <th scope="col">Searches</th>
                {clicks && <th scope="col">Results opened</th>}
                <th scope="col">Last searched</th>
              </tr>
            </thead>
            <tbody>
              {queries.map((entry) => (
                <tr key={entry.query}>
                  <th scope="row">{entry.query}</th>
                  <td>{entry.count}</td>
                  {clicks && <td>{entry.clicks ?? 0}</td>}
                  <td>
                    <time dateTime={entry.last_at}>{formatDateTime(entry.last_at)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
