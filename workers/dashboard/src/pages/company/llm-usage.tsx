// Usage and cost over time: this month's budget (spent, reserved by calls in flight, the budget),
// a chart of cost, requests or tokens per hour or day by model, provider or API key, and the totals
// behind it. The view's settings live in the address.
import { routes } from "@nexus/contracts";
import { useCallback } from "react";
import { SelectField } from "../../components/field.tsx";
import { EmptyState, Loaded } from "../../components/states.tsx";
import { TimeChart } from "../../components/time-chart.tsx";
import { callApi } from "../../lib/api.ts";
import { formatUsd, formatUsdMicros } from "../../lib/money.ts";
import { navigate, useLocation } from "../../lib/router.ts";
import { useAsync } from "../../lib/use-async.ts";
import { apiKeyName, type LlmData, PROVIDER_LABELS, type Usage } from "./llm-data.ts";
import { RefreshButton } from "./llm-parts.tsx";
import {
  axisLabel,
  BUCKETS,
  bucketLabel,
  GROUPS,
  groupTotals,
  METRICS,
  RANGES,
  type UsageView,
  usageSeries,
  usageViewFrom,
  usageViewQuery,
} from "./llm-usage-series.ts";

const DAY_MS = 86_400_000;
const count = new Intl.NumberFormat("en");

function BudgetFigures({ budget }: { budget: Usage["budget"] }) {
  const limit = budget.budget_usd_micros;
  const used = budget.spent_usd_micros + budget.reserved_usd_micros;
  return (
    <section className="panel" aria-labelledby="llm-budget-heading">
      <h2 id="llm-budget-heading">This month ({budget.period}, UTC)</h2>
      <dl className="llm-figures">
        <div>
          <dt>Spent</dt>
          <dd data-testid="llm-spent">{formatUsdMicros(budget.spent_usd_micros)}</dd>
        </div>
        <div>
          <dt>Reserved by calls in flight</dt>
          <dd>{formatUsdMicros(budget.reserved_usd_micros)}</dd>
        </div>
        <div>
          <dt>Budget</dt>
          <dd data-testid="llm-budget">{limit === null ? "No budget" : formatUsdMicros(limit)}</dd>
        </div>
        {limit !== null && (
          <div>
            <dt>Left</dt>
            <dd>{formatUsdMicros(Math.max(0, limit - used))}</dd>
          </div>
        )}
      </dl>
      {limit !== null && limit > 0 && (
        <meter
          className="llm-meter"
          min={0}
          max={limit}
          value={Math.min(used, limit)}
          high={limit * 0.8}
          optimum={0}
        >
          {Math.round((used / limit) * 100)}% of the budget
        </meter>
      )}
      <p className="muted small">Amounts in US dollars (USD).</p>
    </section>
  );
}

function UsageTotals({
  usage,
  heading,
  noun,
  name,
}: {
  usage: Usage;
  heading: string;
  noun: string;
  name: (group: string) => string;
}) {
  const totals = groupTotals(usage.series);
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">Totals per {noun} over the range</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col">Requests</th>
            <th scope="col">Input tokens</th>
            <th scope="col">Cached</th>
            <th scope="col">Output tokens</th>
            <th scope="col">Cost (USD)</th>
          </tr>
        </thead>
        <tbody>
          {totals.map((total) => (
            <tr key={total.group}>
              <th scope="row">{name(total.group)}</th>
              <td>{count.format(total.requests)}</td>
              <td>{count.format(total.inputTokens)}</td>
              <td>{count.format(total.cachedTokens)}</td>
              <td>{count.format(total.outputTokens)}</td>
              <td>{formatUsdMicros(total.costMicros)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function LlmUsage({ companyId, data }: { companyId: string; data: LlmData }) {
  const [path = "", search = ""] = useLocation().split("?");
  const view = usageViewFrom(search);
  const { group, bucket, days, metric } = view;
  const show = (next: Partial<UsageView>) =>
    navigate(`${path}${usageViewQuery({ ...view, ...next })}`, { replace: true });
  const usage = useAsync(
    useCallback(
      (signal: AbortSignal) => {
        const to = Date.now();
        return callApi(routes.getLlmUsage, {
          params: { companyId },
          query: {
            group_by: group,
            bucket,
            from: new Date(to - Number(days) * DAY_MS).toISOString(),
            to: new Date(to).toISOString(),
          },
          signal,
        });
      },
      [companyId, group, bucket, days],
    ),
  );
  const name = (value: string) => {
    if (group === "api_key") return apiKeyName(data.apiKeys, value);
    if (group === "provider") {
      return value === "-"
        ? "No provider (refused first)"
        : ((PROVIDER_LABELS as Record<string, string>)[value] ?? value);
    }
    return value;
  };
  const metricLabel = METRICS.find((choice) => choice.value === metric)?.label ?? metric;
  const groupChoice = GROUPS.find((choice) => choice.value === group) ?? GROUPS[0];
  const rangeLabel = RANGES.find((choice) => choice.value === days)?.label.toLowerCase() ?? "";

  return (
    <>
      <Loaded state={usage} loading="Loading the budget…">
        {(data) => <BudgetFigures budget={data.budget} />}
      </Loaded>
      <section className="panel" aria-labelledby="llm-usage-heading">
        <div className="panel-header">
          <h2 id="llm-usage-heading">Usage and cost</h2>
          <RefreshButton state={usage} />
        </div>
        <search className="filters">
          <SelectField
            label="Show"
            value={metric}
            choices={METRICS}
            onChange={(value) => show({ metric: value })}
          />
          <SelectField
            label="By"
            value={group}
            choices={GROUPS}
            onChange={(value) => show({ group: value })}
          />
          <SelectField
            label="Buckets"
            value={bucket}
            choices={BUCKETS}
            onChange={(value) => show({ bucket: value })}
          />
          <SelectField
            label="Range"
            value={days}
            choices={RANGES}
            onChange={(value) => show({ days: value })}
          />
        </search>
        <Loaded state={usage} loading="Loading usage…">
          {(data) =>
            data.series.length === 0 ? (
              <EmptyState title="No calls in this range">
                <p>Calls through the gateway appear here with their tokens and cost.</p>
              </EmptyState>
            ) : (
              <>
                <TimeChart
                  label={`${metricLabel} ${bucket === "day" ? "per day" : "per hour"} by ${groupChoice.noun}, ${rangeLabel}`}
                  series={usageSeries(data, metric, name)}
                  from={Date.parse(data.from)}
                  to={Date.parse(data.to)}
                  counts={metric !== "cost"}
                  formatValue={metric === "cost" ? formatUsd : (value) => count.format(value)}
                  formatTime={axisLabel(bucket)}
                  formatFullTime={bucketLabel(bucket)}
                />
                <UsageTotals usage={data} heading={groupChoice.label} noun={groupChoice.noun} name={name} />
              </>
            )
          }
        </Loaded>
      </section>
    </>
  );
}
