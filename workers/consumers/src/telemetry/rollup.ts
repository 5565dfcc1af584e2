// Samples -> per machine, metric and bucket aggregates (count, sum, min, max, last), and coarser
// aggregates derived from finer ones. Pure functions: the consumer turns their output into upserts.
import { RESOLUTION_MS, type RollupBucket, type TelemetryQueueMessage } from "@nexus/contracts";

export type Sample = Extract<TelemetryQueueMessage, { kind: "samples" }>["samples"][number];

export interface Aggregate extends RollupBucket {
  machine_id: string;
  metric: string;
  /** Sample time of `last`: a later-arriving older sample never replaces it. */
  last_ts: number;
}

export const MINUTE_MS = RESOLUTION_MS.minute;
export const HOUR_MS = RESOLUTION_MS.hour;
export const DAY_MS = RESOLUTION_MS.day;

const keyOf = (machineId: string, metric: string, bucket: number) =>
  `${machineId}\u0000${metric}\u0000${bucket}`;

function merge(into: Aggregate, from: Omit<Aggregate, "machine_id" | "metric" | "bucket">): void {
  into.count += from.count;
  into.sum += from.sum;
  into.min = Math.min(into.min, from.min);
  into.max = Math.max(into.max, from.max);
  if (from.last_ts >= into.last_ts) {
    into.last = from.last;
    into.last_ts = from.last_ts;
  }
}

function collect<T>(
  items: T[],
  bucketMs: number,
  toAggregate: (item: T, bucket: number) => Aggregate,
): Aggregate[] {
  const byKey = new Map<string, Aggregate>();
  for (const item of items) {
    const fresh = toAggregate(item, 0);
    const bucket = Math.floor(fresh.bucket / bucketMs) * bucketMs;
    const key = keyOf(fresh.machine_id, fresh.metric, bucket);
    const existing = byKey.get(key);
    if (existing) merge(existing, fresh);
    else byKey.set(key, { ...fresh, bucket });
  }
  return [...byKey.values()];
}

/** Minute aggregates of raw samples. */
export const rollUpSamples = (samples: Sample[]): Aggregate[] =>
  collect(samples, MINUTE_MS, (s) => ({
    machine_id: s.machine_id,
    metric: s.metric,
    bucket: s.ts,
    count: 1,
    sum: s.value,
    min: s.value,
    max: s.value,
    last: s.value,
    last_ts: s.ts,
  }));

/** Hour or day aggregates derived from finer ones (the sums of sums are exact). */
export const coarsen = (aggregates: Aggregate[], bucketMs: number): Aggregate[] =>
  collect(aggregates, bucketMs, (a) => ({ ...a }));

/** Each machine's newest value per metric among the samples. */
export function lastValues(
  samples: Sample[],
): { machine_id: string; metric: string; value: number; ts: number }[] {
  const byKey = new Map<string, { machine_id: string; metric: string; value: number; ts: number }>();
  for (const s of samples) {
    const key = `${s.machine_id}\u0000${s.metric}`;
    const existing = byKey.get(key);
    if (!existing || s.ts >= existing.ts)
      byKey.set(key, { machine_id: s.machine_id, metric: s.metric, value: s.value, ts: s.ts });
  }
  return [...byKey.values()];
}
