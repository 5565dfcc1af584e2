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

/** Minute aggregates of raw samples (one pass, no object per sample: this runs for every sample). */
export function rollUpSamples(samples: Sample[]): Aggregate[] {
  const byKey = new Map<string, Aggregate>();
  for (const { machine_id, metric, value, ts } of samples) {
    const bucket = Math.floor(ts / MINUTE_MS) * MINUTE_MS;
    const key = keyOf(machine_id, metric, bucket);
    const into = byKey.get(key);
    if (!into) {
      byKey.set(key, {
        machine_id,
        metric,
        bucket,
        count: 1,
        sum: value,
        min: value,
        max: value,
        last: value,
        last_ts: ts,
      });
      continue;
    }
    into.count += 1;
    into.sum += value;
    into.min = Math.min(into.min, value);
    into.max = Math.max(into.max, value);
    if (ts >= into.last_ts) {
      into.last = value;
      into.last_ts = ts;
    }
  }
  return [...byKey.values()];
}

/** Hour or day aggregates derived from finer ones (the sums of sums are exact). */
export const coarsen = (aggregates: Aggregate[], bucketMs: number): Aggregate[] =>
  collect(aggregates, bucketMs, (a) => ({ ...a }));

/** Each machine's newest value per metric among the samples. */
export function lastValues(
  samples: Sample[],
): { machine_id: string; metric: string; value: number; ts: number }[] {
  const byKey = new Map<string, { machine_id: string; metric: string; value: number; ts: number }>();
  for (const { machine_id, metric, value, ts } of samples) {
    const key = `${machine_id}\u0000${metric}`;
    const existing = byKey.get(key);
    if (!existing) byKey.set(key, { machine_id, metric, value, ts });
    else if (ts >= existing.ts) {
      existing.value = value;
      existing.ts = ts;
    }
  }
  return [...byKey.values()];
}
