// A line chart over time in plain SVG: one line per series (an optional shaded band around it, e.g.
// each bucket's min and max), a time axis fitted to the range, and the same figures as a table for
// screen readers (the drawing itself is one labelled image). Over the plot sits a slider: pointing
// or the arrow keys read values out, and where the page allows it a drag selects a range to zoom to.
import { type KeyboardEvent, memo, type PointerEvent, useId, useState } from "react";
import { nearestIndex, niceTicks, splitAtGaps, timeTicks } from "../lib/chart-scale.ts";
import "../styles/telemetry.css";

export interface TimePoint {
  t: number;
  v: number;
}

export interface BandPoint {
  t: number;
  low: number;
  high: number;
}

export interface TimeSeries {
  name: string;
  points: readonly TimePoint[];
  /** A spread per time (e.g. each bucket's min and max), shaded behind the line. */
  band?: readonly BandPoint[];
  /** The band's name in the legend; default "{name} range". */
  bandName?: string;
}

/** A horizontal reference line, e.g. a metric's warning limit. */
export interface ChartGuide {
  value: number;
  label: string;
  tone?: "warning" | "critical";
}

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 12, right: 16, bottom: 28, left: 52 };
const PLOT_WIDTH = WIDTH - PAD.left - PAD.right;
const PLOT_HEIGHT = HEIGHT - PAD.top - PAD.bottom;
/** A drag shorter than this (in chart units) is a click, not a selection. */
const MIN_DRAG = 6;
/** Distinct on white and for the common colour-vision deficiencies (Okabe–Ito). */
const COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"];
const colorOf = (index: number) => COLORS[index % COLORS.length];
const percent = (part: number, whole: number) => `${(part / whole) * 100}%`;
const DEFAULT_BAND_LABELS = ["Low", "High"] as const;

export function TimeChart({
  label,
  series,
  from,
  to,
  formatValue = (value) => String(Math.round(value * 100) / 100),
  formatTime,
  formatFullTime = formatTime,
  maxGapMs = Number.POSITIVE_INFINITY,
  guides = [],
  bandLabels = DEFAULT_BAND_LABELS,
  counts = false,
  onSelectRange,
}: {
  /** What the chart shows, e.g. "CPU usage, average per minute". */
  label: string;
  series: readonly TimeSeries[];
  /** The time range shown (ms since the epoch), so gaps at either end stay visible. */
  from: number;
  to: number;
  formatValue?: (value: number) => string;
  /** How a time reads on the axis. */
  formatTime: (t: number) => string;
  /** How a time reads in the table and the readout; default `formatTime`. */
  formatFullTime?: (t: number) => string;
  /** Points further apart are not joined: the gap shows that nothing was measured. */
  maxGapMs?: number;
  guides?: readonly ChartGuide[];
  /** The band's columns in the table. */
  bandLabels?: readonly [string, string];
  /** The values are counts (requests, tokens): the value axis ticks only on whole numbers. */
  counts?: boolean;
  /** Enables drag-to-select on the plot; keyboard users need another way (e.g. zoom buttons). */
  onSelectRange?: (from: number, to: number) => void;
}) {
  const titleId = useId();
  const readoutId = useId();
  const [cursor, setCursor] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ start: number; end: number } | null>(null);

  const values = [
    ...series.flatMap((line) => [
      ...line.points.map((point) => point.v),
      ...(line.band ?? []).flatMap((point) => [point.low, point.high]),
    ]),
    ...guides.map((guide) => guide.value),
  ];
  const yTicks = niceTicks(Math.min(0, ...values), Math.max(1, ...values), 5, counts ? 1 : 0);
  const yMin = yTicks[0] ?? 0;
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const span = Math.max(1, to - from);
  const x = (t: number) => PAD.left + ((t - from) / span) * PLOT_WIDTH;
  const y = (v: number) => HEIGHT - PAD.bottom - ((v - yMin) / (yMax - yMin)) * PLOT_HEIGHT;
  const hasBands = series.some((line) => line.band !== undefined);

  // The cursor snaps to the first series' points; the others are read at the nearest time.
  const reference = series.find((line) => line.points.length > 0)?.points ?? [];
  const cursorIndex = cursor === null ? -1 : nearestIndex(reference, cursor);
  const cursorTime = reference[cursorIndex]?.t;
  const readings =
    cursorTime === undefined
      ? []
      : series.flatMap((line, index) => {
          const point = line.points[nearestIndex(line.points, cursorTime)];
          if (!point || Math.abs(point.t - cursorTime) > Math.min(maxGapMs, span)) return [];
          const band = line.band?.find((candidate) => candidate.t === point.t);
          return [{ line, index, point, band }];
        });
  const readout =
    cursorTime === undefined
      ? ""
      : `${formatFullTime(cursorTime)}: ${readings
          .map(
            ({ line, point, band }) =>
              `${line.name} ${formatValue(point.v)}${
                band
                  ? ` (${bandLabels[0].toLowerCase()} ${formatValue(band.low)}, ${bandLabels[1].toLowerCase()} ${formatValue(band.high)})`
                  : ""
              }`,
          )
          .join("; ")}`;

  /** The time under the pointer, within the range. */
  const timeAt = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const share = box.width > 0 ? (event.clientX - box.left) / box.width : 0;
    return from + Math.min(1, Math.max(0, share)) * span;
  };

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (!onSelectRange || event.button !== 0) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    const t = timeAt(event);
    setDrag({ start: t, end: t });
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const t = timeAt(event);
    setCursor(t);
    if (drag) setDrag({ start: drag.start, end: t });
  };
  const onPointerUp = () => {
    if (drag && onSelectRange && Math.abs(x(drag.end) - x(drag.start)) >= MIN_DRAG) {
      onSelectRange(Math.min(drag.start, drag.end), Math.max(drag.start, drag.end));
    }
    setDrag(null);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const last = reference.length - 1;
    const steps: Record<string, number> = {
      ArrowLeft: cursorIndex < 0 ? last : Math.max(0, cursorIndex - 1),
      ArrowRight: cursorIndex < 0 ? 0 : Math.min(last, cursorIndex + 1),
      Home: 0,
      End: last,
    };
    if (event.key === "Escape") {
      setCursor(null);
      return;
    }
    const next = steps[event.key];
    if (next === undefined || last < 0) return;
    event.preventDefault();
    setCursor(reference[next]?.t ?? null);
  };

  return (
    <figure className="time-chart">
      <p className="chart-readout small" id={readoutId} aria-live="polite">
        {readout ||
          (reference.length > 0
            ? `Point at the chart or focus it and use the arrow keys to read values${onSelectRange ? "; drag across it to zoom in" : ""}.`
            : "")}
      </p>
      <div className="chart-plot">
        <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={titleId}>
          <title id={titleId}>{label}</title>
          {yTicks.map((tick) => (
            <g key={tick} className="chart-grid">
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
              <text x={PAD.left - 6} y={y(tick)} textAnchor="end" dominantBaseline="middle">
                {formatValue(tick)}
              </text>
            </g>
          ))}
          {timeTicks(from, to, 6).map((tick) => (
            <text key={tick} className="chart-axis" x={x(tick)} y={HEIGHT - 8} textAnchor="middle">
              {formatTime(tick)}
            </text>
          ))}
          {guides.map((guide) => (
            <g
              key={`${guide.label}-${guide.value}`}
              className={`chart-guide chart-guide-${guide.tone ?? "plain"}`}
            >
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(guide.value)} y2={y(guide.value)} />
              {/* At the left: the newest values, at the right, are the ones read most. */}
              <text x={PAD.left + 4} y={y(guide.value) - 4}>
                {guide.label}
              </text>
            </g>
          ))}
          {series.map((line, index) => (
            <g key={line.name} stroke={colorOf(index)} fill={colorOf(index)}>
              {splitAtGaps(line.band ?? [], maxGapMs).map((run) => (
                <polygon
                  key={run[0]?.t}
                  className="chart-band"
                  points={[
                    ...run.map((point) => `${x(point.t)},${y(point.high)}`),
                    ...run.toReversed().map((point) => `${x(point.t)},${y(point.low)}`),
                  ].join(" ")}
                />
              ))}
              {splitAtGaps(line.points, maxGapMs).map((run) =>
                // A lone point has no line: a dot keeps it visible.
                run.length === 1 && run[0] ? (
                  <circle key={run[0].t} cx={x(run[0].t)} cy={y(run[0].v)} r={3} />
                ) : (
                  <polyline
                    key={run[0]?.t}
                    fill="none"
                    strokeWidth={2}
                    points={run.map((point) => `${x(point.t)},${y(point.v)}`).join(" ")}
                  />
                ),
              )}
            </g>
          ))}
          {cursorTime !== undefined && (
            <g className="chart-cursor">
              <line x1={x(cursorTime)} x2={x(cursorTime)} y1={PAD.top} y2={HEIGHT - PAD.bottom} />
              {readings.map(({ line, index, point }) => (
                <circle key={line.name} cx={x(point.t)} cy={y(point.v)} r={4} fill={colorOf(index)} />
              ))}
            </g>
          )}
          {drag && (
            <rect
              className="chart-brush"
              x={Math.min(x(drag.start), x(drag.end))}
              y={PAD.top}
              width={Math.abs(x(drag.end) - x(drag.start))}
              height={PLOT_HEIGHT}
            />
          )}
        </svg>
        {reference.length > 0 && (
          <div
            className={onSelectRange ? "chart-overlay chart-overlay-select" : "chart-overlay"}
            style={{
              left: percent(PAD.left, WIDTH),
              top: percent(PAD.top, HEIGHT),
              width: percent(PLOT_WIDTH, WIDTH),
              height: percent(PLOT_HEIGHT, HEIGHT),
            }}
            role="slider"
            tabIndex={0}
            aria-label={`Read the values of ${label}`}
            aria-valuemin={0}
            aria-valuemax={reference.length - 1}
            aria-valuenow={Math.max(0, cursorIndex)}
            aria-valuetext={readout || "No point selected"}
            aria-describedby={readoutId}
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={() => setDrag(null)}
            onPointerLeave={() => {
              if (!drag) setCursor(null);
            }}
            onKeyDown={onKeyDown}
          />
        )}
      </div>
      {(series.length > 1 || hasBands || guides.length > 0) && (
        <figcaption className="chart-legend">
          {series.map((line, index) => (
            <span key={line.name}>
              <span className="chart-swatch" style={{ background: colorOf(index) }} />
              {line.name}
            </span>
          ))}
          {series.map(
            (line, index) =>
              line.band && (
                <span key={`${line.name}-band`}>
                  <span className="chart-swatch chart-swatch-band" style={{ background: colorOf(index) }} />
                  {line.bandName ?? `${line.name} range`}
                </span>
              ),
          )}
          {guides.map((guide) => (
            <span key={`${guide.label}-${guide.value}`}>
              <span className={`chart-swatch chart-swatch-guide chart-guide-${guide.tone ?? "plain"}`} />
              {guide.label}
            </span>
          ))}
        </figcaption>
      )}
      <ChartTable {...{ label, series, bandLabels, formatValue }} formatTime={formatFullTime} />
    </figure>
  );
}

/** The chart's figures for screen readers: one row per point (memoized: the cursor moves often). */
const ChartTable = memo(function ChartTable({
  label,
  series,
  bandLabels,
  formatValue,
  formatTime,
}: {
  label: string;
  series: readonly TimeSeries[];
  bandLabels: readonly [string, string];
  formatValue: (value: number) => string;
  formatTime: (t: number) => string;
}) {
  // The wrapper hides it: a table grows to its rows whatever its own height says, and would
  // lengthen the page by every row.
  const hasBands = series.some((line) => line.band !== undefined);
  return (
    <div className="visually-hidden">
      <table>
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Time</th>
            <th scope="col">Value</th>
            {hasBands && <th scope="col">{bandLabels[0]}</th>}
            {hasBands && <th scope="col">{bandLabels[1]}</th>}
          </tr>
        </thead>
        <tbody>
          {series.flatMap((line) => {
            const bands = new Map(line.band?.map((band) => [band.t, band]));
            return line.points.map((point) => {
              const band = bands.get(point.t);
              return (
                <tr key={`${line.name}-${point.t}`}>
                  <td>{line.name}</td>
                  <td>{formatTime(point.t)}</td>
                  <td>{formatValue(point.v)}</td>
                  {hasBands && <td>{band ? formatValue(band.low) : ""}</td>}
                  {hasBands && <td>{band ? formatValue(band.high) : ""}</td>}
                </tr>
              );
            });
          })}
        </tbody>
      </table>
    </div>
  );
});
