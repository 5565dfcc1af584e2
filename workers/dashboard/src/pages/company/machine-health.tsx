// A machine's status and health in words (colour only repeats them), and how its last values stand
// against their limits.
// severityOf: the same function workers/consumers scores health with, so the page cannot disagree.
import { type Machine, type MachineThresholds, severityOf } from "@nexus/contracts";
import type { ChartGuide } from "../../components/time-chart.tsx";
import { formatDateTime } from "../../lib/format.ts";

export type HealthLevel = "ok" | "warning" | "critical" | "unknown";

export const HEALTH_LABELS: Record<HealthLevel, string> = {
  critical: "Critical",
  warning: "Warning",
  ok: "Healthy",
  unknown: "No data",
};

/** As the consumers' alert levels: any limit crossed is a warning, 50 or less is critical. */
export function healthLevel(score: number | null): HealthLevel {
  if (score === null) return "unknown";
  return score >= 100 ? "ok" : score > 50 ? "warning" : "critical";
}

export function HealthBadge({ score }: { score: number | null }) {
  const level = healthLevel(score);
  return (
    <span className={`badge badge-${level}`}>
      <span className="dot" aria-hidden="true" />
      {HEALTH_LABELS[level]}
      {score !== null && <span className="mono">{Math.round(score)}</span>}
    </span>
  );
}

export function MachineStatusBadge({ status }: { status: Machine["status"] }) {
  return (
    <span className={`badge badge-${status} capitalize`}>
      <span className="dot" aria-hidden="true" />
      {status}
    </span>
  );
}

/** "warning" or "critical" when a value is beyond its metric's limits, else undefined. */
export function metricAlarm(
  thresholds: MachineThresholds,
  metric: string,
  value: number,
): "warning" | "critical" | undefined {
  const limits = thresholds[metric];
  if (!limits) return undefined;
  const severity = severityOf(value, limits);
  return severity === "critical" ? "critical" : severity === "warn" ? "warning" : undefined;
}

/** The metrics a machine has reported or has limits for: those with limits (the ones to watch) first. */
export const machineMetrics = (machine: Machine): string[] =>
  [...new Set([...Object.keys(machine.last_values), ...Object.keys(machine.thresholds)])].sort(
    (a, b) =>
      Number(machine.thresholds[b] !== undefined) - Number(machine.thresholds[a] !== undefined) ||
      a.localeCompare(b),
  );

export const formatReading = (value: number): string =>
  value.toLocaleString("en", { maximumFractionDigits: Math.abs(value) >= 100 ? 0 : 2 });

/** A last value with its metric name, marked (in words) when beyond a limit. */
export function Reading({ machine, metric }: { machine: Machine; metric: string }) {
  const last = machine.last_values[metric];
  if (!last) return <span className="muted">no reading</span>;
  const alarm = metricAlarm(machine.thresholds, metric, last.value);
  return (
    <span className={alarm ? `metric-${alarm}` : undefined} title={formatDateTime(last.ts)}>
      {formatReading(last.value)}
      {alarm && <span className="metric-flag">({alarm})</span>}
    </span>
  );
}

/** A metric's limits, as chart guides and in words. */
export function metricLimits(thresholds: MachineThresholds, metric: string): ChartGuide[] {
  const limits = thresholds[metric] ?? {};
  const guides: [number | undefined, string, ChartGuide["tone"]][] = [
    [limits.warn_above, "Warning above", "warning"],
    [limits.critical_above, "Critical above", "critical"],
    [limits.warn_below, "Warning below", "warning"],
    [limits.critical_below, "Critical below", "critical"],
  ];
  return guides.flatMap(([value, words, tone]) =>
    value === undefined ? [] : [{ value, label: `${words} ${value}`, tone }],
  );
}
