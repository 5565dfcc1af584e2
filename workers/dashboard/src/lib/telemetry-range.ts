// A telemetry chart's time range: presets, the resolutions the API accepts for a range, zooming and
// panning, and the range in the address query so a chart can be linked. Pure functions of `now`.
import {
  MetricNameSchema,
  RESOLUTION_MS,
  RESOLUTIONS,
  type Resolution,
  ResolutionSchema,
  TELEMETRY_LIMITS,
} from "@nexus/contracts";

const { minute: MINUTE, hour: HOUR, day: DAY } = RESOLUTION_MS;

export interface ChartRange {
  from: number;
  to: number;
  resolution: Resolution;
  /** Set while the range is a preset: a link to it means "the last hour" whenever it is opened. */
  preset?: PresetId;
}

export const RANGE_PRESETS = [
  { id: "1h", label: "Last hour", span: HOUR, resolution: "minute" },
  { id: "24h", label: "Last 24 hours", span: DAY, resolution: "minute" },
  { id: "7d", label: "Last 7 days", span: 7 * DAY, resolution: "hour" },
  { id: "30d", label: "Last 30 days", span: 30 * DAY, resolution: "day" },
] as const satisfies readonly { id: string; label: string; span: number; resolution: Resolution }[];
export type PresetId = (typeof RANGE_PRESETS)[number]["id"];

/** The API's own default: the last day by minute. */
export const DEFAULT_PRESET: PresetId = "24h";
/** Below ten minutes a chart says nothing the last values do not. */
export const MIN_SPAN = 10 * MINUTE;
/** A year by day is 366 points; further out nothing is kept anyway. */
export const MAX_SPAN = 366 * DAY;
/** Fewer buckets than this do not draw a line worth reading (a day bucket over a 2-hour window). */
const MIN_POINTS = 6;

/** Buckets in a range, counted as workers/api's `seriesRange` counts them against its limit. */
export function bucketCount(from: number, to: number, resolution: Resolution): number {
  return Math.ceil((to - from) / RESOLUTION_MS[resolution]);
}

/** Why the API would refuse this resolution for the range, or undefined when it accepts it. */
export function resolutionRefusal(from: number, to: number, resolution: Resolution): string | undefined {
  const points = bucketCount(from, to, resolution);
  if (points <= TELEMETRY_LIMITS.maxSeriesPoints) return undefined;
  return `${points.toLocaleString("en")} ${resolution} points, over the limit of ${TELEMETRY_LIMITS.maxSeriesPoints.toLocaleString("en")}`;
}

const accepted = (from: number, to: number) =>
  RESOLUTIONS.filter((resolution) => resolutionRefusal(from, to, resolution) === undefined);

/** `preferred` while the API accepts it for the range, else the finest resolution it accepts. */
export function fitResolution(from: number, to: number, preferred: Resolution): Resolution {
  const options = accepted(from, to);
  return options.includes(preferred) ? preferred : (options[0] ?? "day");
}

/** After zooming in: as `fitResolution`, and finer when `preferred` would leave too few points. */
function refineResolution(from: number, to: number, preferred: Resolution): Resolution {
  const fitted = fitResolution(from, to, preferred);
  if (bucketCount(from, to, fitted) >= MIN_POINTS) return fitted;
  const finer = accepted(from, to)
    .filter((resolution) => RESOLUTION_MS[resolution] < RESOLUTION_MS[fitted])
    .reverse();
  return (
    finer.find((resolution) => bucketCount(from, to, resolution) >= MIN_POINTS) ?? finer.at(-1) ?? fitted
  );
}

export function presetRange(id: PresetId, now: number, resolution?: Resolution): ChartRange {
  const preset = RANGE_PRESETS.find((candidate) => candidate.id === id) ?? RANGE_PRESETS[1];
  const from = now - preset.span;
  return { from, to: now, resolution: fitResolution(from, now, resolution ?? preset.resolution), preset: id };
}

/** A range of `span` around `centre`, kept within the span limits and out of the future. */
function placed(centre: number, span: number, now: number): { from: number; to: number } {
  const width = Math.min(MAX_SPAN, Math.max(MIN_SPAN, span));
  const to = Math.min(now, Math.round(centre + width / 2));
  return { from: to - width, to };
}

/** Zoom around the centre: `factor` 0.5 halves the span (zoom in), 2 doubles it (zoom out). */
export function zoomRange(range: ChartRange, factor: number, now: number): ChartRange {
  const { from, to } = placed((range.from + range.to) / 2, (range.to - range.from) * factor, now);
  const resolution =
    factor < 1 ? refineResolution(from, to, range.resolution) : fitResolution(from, to, range.resolution);
  return { from, to, resolution };
}

/** A sub-range picked on the chart (drag to zoom), at least MIN_SPAN wide. */
export function selectRange(range: ChartRange, a: number, b: number, now: number): ChartRange {
  const { from, to } = placed((a + b) / 2, Math.abs(b - a), now);
  return { from, to, resolution: refineResolution(from, to, range.resolution) };
}

/** Half a span earlier (`direction` -1) or later (+1); never past now. */
export function panRange(range: ChartRange, direction: -1 | 1, now: number): ChartRange {
  const span = range.to - range.from;
  const shift = direction < 0 ? -span / 2 : Math.max(0, Math.min(span / 2, now - range.to));
  return { from: range.from + shift, to: range.to + shift, resolution: range.resolution };
}

/** Whether "Later" moves anything (the range does not end at now yet). */
export const canPanLater = (range: ChartRange, now: number): boolean => range.to < now - 1000;
export const canZoomIn = (range: ChartRange): boolean => range.to - range.from > MIN_SPAN;
export const canZoomOut = (range: ChartRange): boolean => range.to - range.from < MAX_SPAN;

export interface ChartQuery {
  /** A metric name the API would accept, or undefined (the page picks the machine's first). */
  metric: string | undefined;
  range: ChartRange;
}

function parseTime(value: string | null): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : undefined;
}

/**
 * The chart the address asks for: `metric`, then `range` (a preset, relative to `now`) or `from`
 * and `to` (ISO times), and `resolution`. Anything unreadable falls back to the default, and a
 * resolution the API would refuse for the range is replaced by the finest it accepts.
 */
export function parseChartQuery(search: string, now: number): ChartQuery {
  const params = new URLSearchParams(search);
  const metric = MetricNameSchema.safeParse(params.get("metric"));
  const resolution = ResolutionSchema.safeParse(params.get("resolution"));
  const wanted = resolution.success ? resolution.data : undefined;
  const preset = RANGE_PRESETS.find((candidate) => candidate.id === params.get("range"));
  const from = parseTime(params.get("from"));
  const to = parseTime(params.get("to"));
  let range: ChartRange;
  if (preset) {
    range = presetRange(preset.id, now, wanted);
  } else if (from !== undefined && to !== undefined && from < to && to - from <= MAX_SPAN) {
    range = { from, to, resolution: fitResolution(from, to, wanted ?? "minute") };
  } else {
    range = presetRange(DEFAULT_PRESET, now, wanted);
  }
  return { metric: metric.success ? metric.data : undefined, range };
}

/** The address query for a chart; other parameters of `search` are kept. */
export function chartQueryString(metric: string, range: ChartRange, search = ""): string {
  const params = new URLSearchParams(search);
  for (const key of ["metric", "range", "from", "to", "resolution"]) params.delete(key);
  params.set("metric", metric);
  if (range.preset) {
    params.set("range", range.preset);
  } else {
    params.set("from", new Date(range.from).toISOString());
    params.set("to", new Date(range.to).toISOString());
  }
  params.set("resolution", range.resolution);
  return params.toString();
}

// Buckets are UTC minutes, hours and days, so the chart speaks UTC too: a day bucket labelled in
// local time would seem to start at 01:00 or 19:00.
const utc = (options: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", hourCycle: "h23", ...options });
const TIME = utc({ hour: "2-digit", minute: "2-digit" });
const DAY_TIME = utc({ day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
const DATE = utc({ day: "numeric", month: "short" });
const FULL = utc({ year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
const FULL_DATE = utc({ year: "numeric", month: "short", day: "numeric" });

/** Axis labels: the time of day within a day, date and time within a week, else the date. */
export function axisTimeFormat(from: number, to: number): (t: number) => string {
  const span = to - from;
  if (span <= DAY) return (t) => TIME.format(t);
  if (span <= 7 * DAY) return (t) => DAY_TIME.format(t);
  return (t) => DATE.format(t);
}

/** A bucket's start in full: the date and, below day resolution, the time. */
export function bucketTimeFormat(resolution: Resolution): (t: number) => string {
  return resolution === "day" ? (t) => FULL_DATE.format(t) : (t) => `${FULL.format(t)} UTC`;
}

/** "22 Nov 2026, 09:00 – 23 Nov 2026, 09:00 UTC", for the range's heading. */
export const describeRange = (from: number, to: number): string =>
  `${FULL.format(from)} – ${FULL.format(to)} UTC`;
