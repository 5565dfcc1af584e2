// Axis ticks people can read: values on 1/2/5 steps, times on whole minutes, hours or days.

/** About `count` round values covering [min, max], first ≤ min and last ≥ max. */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min, min + 1];
  const rough = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((factor) => factor * magnitude >= rough) ?? 10) * magnitude;
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
