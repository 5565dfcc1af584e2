// The usage screen's figures from the API's rows (one per bucket and group that had calls): a line
// per group with every bucket of the range (no calls is 0, not a gap), totals per group, and the
// address's view settings.
import type { TimeSeries } from "../../components/time-chart.tsx";
import type { Usage } from "./llm-data.ts";

export const GROUPS = [
  { value: "model", label: "Model", noun: "model" },
  { value: "provider", label: "Provider", noun: "provider" },
  { value: "api_key", label: "API key", noun: "API key" },
] as const;
export const BUCKETS = [
  { value: "day", label: "Per day" },
  { value: "hour", label: "Per hour" },
] as const;
export const RANGES = [
  { value: "1", label: "Last 24 hours" },
  { value: "7", label: "Last 7 days" },
  { value: "30", label: "Last 30 days" },
] as const;
export const METRICS = [
  { value: "cost", label: "Cost" },
  { value: "requests", label: "Requests" },
  { value: "tokens", label: "Tokens (input + output)" },
] as const;

type Value<T extends readonly { value: string }[]> = T[number]["value"];
export interface UsageView {
  group: Value<typeof GROUPS>;
  bucket: Value<typeof BUCKETS>;
  days: Value<typeof RANGES>;
  metric: Value<typeof METRICS>;
}
const DEFAULT_VIEW: UsageView = { group: "model", bucket: "day", days: "30", metric: "cost" };

function pick<V extends string>(choices: readonly { value: V }[], value: string | null, fallback: V): V {
  return choices.find((choice) => choice.value === value)?.value ?? fallback;
}

/** The view from the address (`?group=…&bucket=…&days=…&metric=…`), unknown values as the defaults. */
export function usageViewFrom(search: string): UsageView {
  const query = new URLSearchParams(search);
  return {
    group: pick(GROUPS, query.get("group"), DEFAULT_VIEW.group),
    bucket: pick(BUCKETS, query.get("bucket"), DEFAULT_VIEW.bucket),
    days: pick(RANGES, query.get("days"), DEFAULT_VIEW.days),
    metric: pick(METRICS, query.get("metric"), DEFAULT_VIEW.metric),
  };
}

/** The address's query for `view`: only what differs from the defaults ("" or "?…"). */
export function usageViewQuery(view: UsageView): string {
  const query = new URLSearchParams();
  for (const key of ["group", "bucket", "days", "metric"] as const) {
    if (view[key] !== DEFAULT_VIEW[key]) query.set(key, view[key]);
  }
  const text = query.toString();
  return text ? `?${text}` : "";
}

export const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;
/** More lines than this are unreadable: the smallest groups are summed into one. */
const MAX_LINES = 6;

type Row = Usage["series"][number];
export interface GroupTotals {
  group: string;
  requests: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  costMicros: number;
}

/** A row's value on the chart: cost in dollars, or a count. */
function metricValue(row: Row, metric: UsageView["metric"]): number {
  if (metric === "cost") return row.cost_usd_micros / 1_000_000;
  if (metric === "requests") return row.requests;
  return row.input_tokens + row.output_tokens;
}

/** Totals per group over the range, largest cost first. */
export function groupTotals(series: readonly Row[]): GroupTotals[] {
  const totals = new Map<string, GroupTotals>();
  for (const row of series) {
    const total = totals.get(row.group) ?? {
      group: row.group,
      requests: 0,
      inputTokens: 0,
      cachedTokens: 0,
      outputTokens: 0,
      costMicros: 0,
    };
    total.requests += row.requests;
    total.inputTokens += row.input_tokens;
    total.cachedTokens += row.cached_tokens;
    total.outputTokens += row.output_tokens;
    total.costMicros += row.cost_usd_micros;
    totals.set(row.group, total);
  }
  return [...totals.values()].sort((a, b) => b.costMicros - a.costMicros || b.requests - a.requests);
}

/** The start of every bucket in [from, to), aligned as the API aligns them (UTC). */
export function bucketStarts(from: number, to: number, size: number): number[] {
  const starts: number[] = [];
  for (let t = Math.floor(from / size) * size; t < to; t += size) starts.push(t);
  return starts;
}

/**
 * One line per group over every bucket of the usage's range, biggest groups first; beyond MAX_LINES
 * the rest become "Other". `name` turns a group (a model, provider or API key id) into words.
 */
export function usageSeries(
  usage: Pick<Usage, "from" | "to" | "bucket" | "series">,
  metric: UsageView["metric"],
  name: (group: string) => string,
): TimeSeries[] {
  const starts = bucketStarts(Date.parse(usage.from), Date.parse(usage.to), BUCKET_MS[usage.bucket]);
  const order = groupTotals(usage.series).map((total) => total.group);
  const shown = order.slice(0, order.length > MAX_LINES ? MAX_LINES - 1 : MAX_LINES);
  const values = new Map<string, Map<number, number>>();
  for (const row of usage.series) {
    const line = shown.includes(row.group) ? row.group : "\u0000other";
    const byTime = values.get(line) ?? new Map<number, number>();
    const t = Date.parse(row.bucket_start);
    byTime.set(t, (byTime.get(t) ?? 0) + metricValue(row, metric));
    values.set(line, byTime);
  }
  const lines = order.length > shown.length ? [...shown, "\u0000other"] : shown;
  return lines.map((line) => ({
    name: line === "\u0000other" ? `Other (${order.length - shown.length})` : name(line),
    points: starts.map((t) => ({ t, v: values.get(line)?.get(t) ?? 0 })),
  }));
}

const dayLabel = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });
const hourLabel = new Intl.DateTimeFormat("en", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});
const timeLabel = new Intl.DateTimeFormat("en", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});

/** How a bucket reads: "Dec 7" for days, "Dec 7, 14:00" for hours (UTC, as the API buckets). */
export const bucketLabel = (bucket: UsageView["bucket"]) => (t: number) =>
  bucket === "day" ? dayLabel.format(t) : hourLabel.format(t);

/** The axis: days as dates; hours as times, with the date at midnight. */
export const axisLabel = (bucket: UsageView["bucket"]) => (t: number) =>
  bucket === "day" || t % BUCKET_MS.day === 0 ? dayLabel.format(t) : timeLabel.format(t);
