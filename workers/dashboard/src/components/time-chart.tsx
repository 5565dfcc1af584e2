// A line chart over time in plain SVG: one line per series, a time axis fitted to the range, and
// the same figures as a table for screen readers (the drawing itself is one labelled image).
import { useId } from "react";
import { niceTicks, timeTicks } from "../lib/chart-scale.ts";

export interface TimeSeries {
  name: string;
  points: readonly { t: number; v: number }[];
}

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { top: 12, right: 16, bottom: 28, left: 52 };
/** Distinct on white and for the common colour-vision deficiencies (Okabe–Ito). */
const COLORS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000"];

export function TimeChart({
  label,
  series,
  from,
  to,
  formatValue = (value) => String(Math.round(value * 100) / 100),
  formatTime,
}: {
  /** What the chart shows, e.g. "CPU usage, average per minute". */
  label: string;
  series: readonly TimeSeries[];
  /** The time range shown (ms since the epoch), so gaps at either end stay visible. */
  from: number;
  to: number;
  formatValue?: (value: number) => string;
  /** How a time reads on the axis and in the table. */
  formatTime: (t: number) => string;
}) {
  const titleId = useId();
  const values = series.flatMap((line) => line.points.map((point) => point.v));
  const yTicks = niceTicks(Math.min(0, ...values), Math.max(1, ...values), 5);
  const yMin = yTicks[0] ?? 0;
  const yMax = yTicks[yTicks.length - 1] ?? 1;
  const span = Math.max(1, to - from);
  const x = (t: number) => PAD.left + ((t - from) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) =>
    HEIGHT - PAD.bottom - ((v - yMin) / (yMax - yMin)) * (HEIGHT - PAD.top - PAD.bottom);

  return (
    <figure className="time-chart">
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
        {series.map((line, index) => (
          <g key={line.name} stroke={COLORS[index % COLORS.length]} fill={COLORS[index % COLORS.length]}>
            <polyline
              fill="none"
              strokeWidth={2}
              points={line.points.map((point) => `${x(point.t)},${y(point.v)}`).join(" ")}
            />
            {/* A lone point has no line: a dot keeps it visible. */}
            {line.points.length === 1 && line.points[0] && (
              <circle cx={x(line.points[0].t)} cy={y(line.points[0].v)} r={3} />
            )}
          </g>
        ))}
      </svg>
      {series.length > 1 && (
        <figcaption className="chart-legend">
          {series.map((line, index) => (
            <span key={line.name}>
              <span className="chart-swatch" style={{ background: COLORS[index % COLORS.length] }} />
              {line.name}
            </span>
          ))}
        </figcaption>
      )}
      <table className="visually-hidden">
        <caption>{label}</caption>
        <thead>
          <tr>
            <th scope="col">Series</th>
            <th scope="col">Time</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {series.flatMap((line) =>
            line.points.map((point) => (
              <tr key={`${line.name}-${point.t}`}>
                <td>{line.name}</td>
                <td>{formatTime(point.t)}</td>
                <td>{formatValue(point.v)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </figure>
  );
}
