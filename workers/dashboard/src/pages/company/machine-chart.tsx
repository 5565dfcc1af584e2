// A machine's metric over time: the average per bucket with its min–max band, the metric's limits as
// guides, and the range in the address (presets, resolution, zoom, pan, drag to zoom) so it can be linked.
import { type Machine, RESOLUTION_MS, routes } from "@nexus/contracts";
import { useCallback, useMemo, useState } from "react";
import { EmptyState, ErrorState, Loading } from "../../components/states.tsx";
import { type ChartGuide, TimeChart } from "../../components/time-chart.tsx";
import { callApi, type ResponseOf } from "../../lib/api.ts";
import { navigate, useLocation } from "../../lib/router.ts";
import {
  axisTimeFormat,
  bucketTimeFormat,
  type ChartRange,
  chartQueryString,
  describeRange,
  parseChartQuery,
  presetRange,
  selectRange,
  zoomRange,
} from "../../lib/telemetry-range.ts";
import { useAsync } from "../../lib/use-async.ts";
import { ChartControls } from "./machine-chart-controls.tsx";
import { formatReading, metricLimits } from "./machine-health.tsx";

type Series = ResponseOf<typeof routes.machineTelemetry>;

export function MachineChart({
  companyId,
  machine,
  metrics,
  defaultMetric,
}: {
  companyId: string;
  machine: Machine;
  metrics: readonly string[];
  defaultMetric: string;
}) {
  const [path = "", search = ""] = useLocation().split("?");
  // A preset ("last hour") is relative: it is placed against now when the address changes or on refresh.
  const [refreshed, setRefreshed] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `refreshed` re-reads the clock for a preset range.
  const query = useMemo(() => parseChartQuery(search, Date.now()), [search, refreshed]);
  const metric = query.metric ?? defaultMetric;
  const { range } = query;

  const show = (next: { metric?: string; range?: ChartRange }) =>
    navigate(`${path}?${chartQueryString(next.metric ?? metric, next.range ?? range, search)}`);

  const series = useAsync(
    useCallback(
      (signal: AbortSignal) =>
        callApi(routes.machineTelemetry, {
          params: { companyId, machineId: machine.id },
          query: {
            metric,
            from: new Date(range.from).toISOString(),
            to: new Date(range.to).toISOString(),
            resolution: range.resolution,
          },
          signal,
        }),
      [companyId, machine.id, metric, range.from, range.to, range.resolution],
    ),
  );
  const { reload } = series;
  const refresh = useCallback(() => {
    if (range.preset) setRefreshed((count) => count + 1);
    else reload();
  }, [range.preset, reload]);

  return (
    <section className="panel" aria-labelledby="chart-heading">
      <div className="chart-heading">
        <h2 id="chart-heading">
          {metric} <span className="muted small">average per {range.resolution}, with min and max</span>
        </h2>
        <p className="muted small">{describeRange(range.from, range.to)}</p>
      </div>
      <ChartControls
        metric={metric}
        metrics={metrics.includes(metric) ? metrics : [metric, ...metrics]}
        range={range}
        onShow={show}
        onRefresh={refresh}
        busy={series.loading}
      />
      {series.error !== undefined ? (
        <ErrorState error={series.error} onRetry={series.reload} />
      ) : series.data === undefined ? (
        <Loading label="Loading telemetry…" />
      ) : (
        <SeriesView
          data={series.data}
          guides={metricLimits(machine.thresholds, metric)}
          updating={series.loading}
          onSelect={(from, to) => show({ range: selectRange(range, from, to, Date.now()) })}
          onZoomOut={() => show({ range: zoomRange(range, 2, Date.now()) })}
          onLastDay={() => show({ range: presetRange("24h", Date.now()) })}
        />
      )}
    </section>
  );
}

/** The chart of one answer: drawn over the range the API answered for, so a reload never misplaces it. */
function SeriesView({
  data,
  guides,
  updating,
  onSelect,
  onZoomOut,
  onLastDay,
}: {
  data: Series;
  guides: ChartGuide[];
  updating: boolean;
  onSelect: (from: number, to: number) => void;
  onZoomOut: () => void;
  onLastDay: () => void;
}) {
  const from = Date.parse(data.from);
  const to = Date.parse(data.to);
  const points = data.points.map((point) => ({ ...point, t: Date.parse(point.ts) }));
  const samples = points.reduce((sum, point) => sum + point.count, 0);

  if (points.length === 0) {
    return (
      <EmptyState title={`No ${data.metric} readings in this range`}>
        <p>Nothing was measured between these times. Look further back, or at the last day.</p>
        <div className="state-actions">
          <button type="button" className="button" onClick={onZoomOut}>
            Zoom out
          </button>
          <button type="button" className="button button-quiet" onClick={onLastDay}>
            Last 24 hours
          </button>
        </div>
      </EmptyState>
    );
  }
  return (
    <>
      <dl className="chart-stats" aria-label="Over this range">
        <div>
          <dt>Average</dt>
          <dd>{formatReading(points.reduce((sum, point) => sum + point.sum, 0) / samples)}</dd>
        </div>
        <div>
          <dt>Min</dt>
          <dd>{formatReading(Math.min(...points.map((point) => point.min)))}</dd>
        </div>
        <div>
          <dt>Max</dt>
          <dd>{formatReading(Math.max(...points.map((point) => point.max)))}</dd>
        </div>
        <div>
          <dt>Samples</dt>
          <dd>{samples.toLocaleString("en")}</dd>
        </div>
        <div>
          <dt>Points</dt>
          <dd>{points.length.toLocaleString("en")}</dd>
        </div>
        {updating && (
          <div role="status" className="muted">
            Updating…
          </div>
        )}
      </dl>
      <TimeChart
        label={`${data.metric}, average per ${data.resolution} with min and max, ${describeRange(from, to)}`}
        series={[
          {
            name: "Average",
            points: points.map((point) => ({ t: point.t, v: point.avg })),
            band: points.map((point) => ({ t: point.t, low: point.min, high: point.max })),
            bandName: "Min–max",
          },
        ]}
        from={from}
        to={to}
        formatValue={formatReading}
        formatTime={axisTimeFormat(from, to)}
        formatFullTime={bucketTimeFormat(data.resolution)}
        // Missing buckets are gaps in the line: a bucket and a half apart means one is missing.
        maxGapMs={RESOLUTION_MS[data.resolution] * 1.5}
        guides={guides}
        bandLabels={["Min", "Max"]}
        onSelectRange={onSelect}
      />
    </>
  );
}
