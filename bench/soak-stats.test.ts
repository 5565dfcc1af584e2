import { describe, expect, it } from "vitest";
import {
  addCounts,
  emptyCounts,
  firstAt,
  HEAP_TOLERANCE,
  MEMORY_TOLERANCE,
  memoryVerdict,
  offeredLoad,
  percentile,
  type SizeSample,
  warmupSeconds,
} from "./soak-stats.ts";

const MiB = 1024 * 1024;
/** One sample every 5 s over `seconds`, RSS from `rss(t)`. */
const series = (seconds: number, rss: (t: number) => number): SizeSample[] =>
  Array.from({ length: seconds / 5 + 1 }, (_, i) => ({ seconds: i * 5, bytes: rss(i * 5) }));

describe("memoryVerdict", () => {
  it("calls a steady RSS with collection noise flat", () => {
    const noisy = series(600, (t) => 300 * MiB + ((t / 5) % 2 === 0 ? 4 : -4) * MiB);
    const verdict = memoryVerdict(noisy, 600);
    expect(verdict.flat).toBe(true);
    expect(Math.abs(verdict.growthBytes ?? Number.NaN)).toBeLessThan(MiB);
  });

  it("calls a leak of 40 MB over ten minutes growth", () => {
    const leaking = series(600, (t) => 300 * MiB + (t / 600) * 40 * MiB);
    const verdict = memoryVerdict(leaking, 600);
    expect(verdict.flat).toBe(false);
    expect(verdict.growthBytes).toBeGreaterThan(verdict.toleranceBytes ?? Number.POSITIVE_INFINITY);
    expect(verdict.slopeBytesPerMinute).toBeCloseTo(4 * MiB, -3);
  });

  it("ignores the warm-up's growth", () => {
    // Climbs by 200 MiB in the first 50 s (caches, JIT), then stays.
    const warming = series(600, (t) => (t < 50 ? 100 * MiB + t * 4 * MiB : 300 * MiB));
    const verdict = memoryVerdict(warming, 600);
    expect(verdict.warmupSeconds).toBe(60);
    expect(verdict.flat).toBe(true);
  });

  it("uses the larger of the relative and the absolute tolerance", () => {
    const small = memoryVerdict(
      series(600, () => 100 * MiB),
      600,
    );
    expect(small.toleranceBytes).toBe(MEMORY_TOLERANCE.floorBytes);
    const large = memoryVerdict(
      series(600, () => 1000 * MiB),
      600,
    );
    expect(large.toleranceBytes).toBe(1000 * MiB * MEMORY_TOLERANCE.ratio);
  });

  it("gives no verdict from too few samples", () => {
    const verdict = memoryVerdict(
      series(40, () => 300 * MiB),
      40,
    );
    expect(verdict.flat).toBeNull();
    expect(verdict.samples).toBe(3);
  });
});

describe("soak schedule", () => {
  it("bounds the warm-up to 30-60 s", () => {
    expect(warmupSeconds(60)).toBe(30);
    expect(warmupSeconds(240)).toBe(48);
    expect(warmupSeconds(600)).toBe(60);
  });

  it("offers 500 installations' load as heartbeats every 10 s and checks and telemetry every 30 s", () => {
    const load = offeredLoad(500);
    expect(load.heartbeat).toBe(50);
    expect(load.check).toBeCloseTo(16.67, 2);
    expect(load.total).toBeCloseTo(83.33, 2);
  });

  it("spreads first requests evenly over one period", () => {
    expect([0, 1, 2, 3].map((i) => firstAt(i, 4, 10))).toEqual([0, 2.5, 5, 7.5]);
  });
});

describe("counts", () => {
  it("adds errors by kind and percentiles by nearest rank", () => {
    const total = emptyCounts();
    addCounts(total, { sent: 3, ok: 1, errors: { "429": 1, timeout: 1 }, skipped: 1, latenciesMs: [] });
    addCounts(total, { sent: 2, ok: 1, errors: { "429": 1 }, skipped: 0, latenciesMs: [] });
    expect(total).toMatchObject({ sent: 5, ok: 2, skipped: 1, errors: { "429": 2, timeout: 1 } });
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3], 99)).toBe(5);
    expect(percentile([], 50)).toBeNull();
  });
});

describe("the heap verdict", () => {
  it("catches a heap that grows by 400 bytes per request at the 500-installation load, not a steady one", () => {
    const base = 17 * 1e6;
    const steady = series(600, (t) => base + (t % 30 === 0 ? 100_000 : 0));
    expect(memoryVerdict(steady, 600, HEAP_TOLERANCE).flat).toBe(true);
    const leaking = series(600, (t) => base + t * 83 * 400);
    expect(memoryVerdict(leaking, 600, HEAP_TOLERANCE).flat).toBe(false);
    // The RSS tolerance would let the same leak through: that is why the heap is the judge.
    expect(memoryVerdict(leaking, 600, MEMORY_TOLERANCE).flat).toBe(true);
  });
});
