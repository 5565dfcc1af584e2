// Axis ticks people can read (values on 1/2/5 steps, times on whole minutes, hours or days), and
// the point arithmetic of a time chart: where a line must break, which point a cursor is nearest.

/**
 * About `count` round values covering [min, max], first ≤ min and last ≥ max. `minStep` 1 keeps
 * counts (requests, tokens) on whole numbers: "0.2 requests" is not a value they can take.
 */
export function niceTicks(min: number, max: number, count: number, minStep = 0): number[] {
  if (!(max > min)) return [min, min + 1];
  const rough = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(
    minStep,
    ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude,
  );
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let value = first; value < max + step / 2; value += step) ticks.push(Number(value.toPrecision(12)));
  if ((ticks[ticks.length - 1] ?? min) < max)
    ticks.push(Number((first + ticks.length * step).toPrecision(12)));
  return ticks;
}

const MINUTE = 60_000;
const STEPS = [1, 5, 15, 30, 60, 180, 360, 720, 1440, 2880, 10_080, 43_200].map(
  (minutes) => minutes * MINUTE,
);

/** At most about `count` times inside [from, to], on a whole step (UTC), for the time axis. */
export function timeTicks(from: number, to: number, count: number): number[] {
  const span = to - from;
  if (!(span > 0)) return [];
  const step = STEPS.find((candidate) => span / candidate <= count) ?? STEPS[STEPS.length - 1] ?? MINUTE;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

/**
 * Runs of consecutive points no further apart than `maxGap`: a line drawn across a longer gap
 * would invent values for a time nothing was measured. Points are sorted by `t`.
 */
export function splitAtGaps<P extends { t: number }>(points: readonly P[], maxGap: number): P[][] {
  const runs: P[][] = [];
  let run: P[] = [];
  for (const point of points) {
    const previous = run[run.length - 1];
    if (previous && point.t - previous.t > maxGap) {
      runs.push(run);
      run = [];
    }
    run.push(point);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** The index of the point nearest to `t` in points sorted by `t`; -1 when there are none. */
export function nearestIndex(points: readonly { t: number }[], t: number): number {
  if (points.length === 0) return -1;
  let low = 0;
  let high = points.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((points[middle]?.t ?? 0) < t) low = middle + 1;
    else high = middle;
  }
  const before = points[low - 1];
  const at = points[low];
  if (before && at && t - before.t <= at.t - t) return low - 1;
  return low;
}
