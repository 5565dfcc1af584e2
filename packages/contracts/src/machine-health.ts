// A machine's health score: 100 when every last value is within its metric's limits, less for each
// value beyond a warning (-20) or a critical limit (-50), never below 0. Computed by the queue consumers
// as samples arrive and by the API when thresholds change, and shown by the dashboard, so all must
// agree: one function.

export interface MetricLimits {
  warn_above?: number;
  critical_above?: number;
  warn_below?: number;
  critical_below?: number;
}

const WARN_PENALTY = 20;
const CRITICAL_PENALTY = 50;

export type Severity = "ok" | "warn" | "critical";

export function severityOf(value: number, limits: MetricLimits): Severity {
  const beyond = (above: number | undefined, below: number | undefined) =>
    (above !== undefined && value > above) || (below !== undefined && value < below);
  if (beyond(limits.critical_above, limits.critical_below)) return "critical";
  if (beyond(limits.warn_above, limits.warn_below)) return "warn";
  return "ok";
}

/** null before the machine sent anything: no data is not the same as healthy. */
export function healthScore(
  lastValues: Record<string, number>,
  thresholds: Record<string, MetricLimits>,
): number | null {
  if (Object.keys(lastValues).length === 0) return null;
  let score = 100;
  for (const [metric, limits] of Object.entries(thresholds)) {
    const value = lastValues[metric];
    if (value === undefined) continue;
    const severity = severityOf(value, limits);
    if (severity === "critical") score -= CRITICAL_PENALTY;
    else if (severity === "warn") score -= WARN_PENALTY;
  }
  return Math.max(0, score);
}
