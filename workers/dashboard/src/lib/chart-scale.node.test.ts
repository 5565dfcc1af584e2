import { describe, expect, it } from "vitest";
import { nearestIndex, niceTicks, splitAtGaps, timeTicks } from "./chart-scale.ts";

describe("niceTicks", () => {
  it("covers the range on 1/2/5 steps", () => {
    expect(niceTicks(0, 100, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 7, 5)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(0, 0.37, 4)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
  });

  it("includes negative values and survives an empty range", () => {
    const ticks = niceTicks(-3, 12, 5);
    expect(ticks[0]).toBeLessThanOrEqual(-3);
    expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(12);
    expect(niceTicks(5, 5, 5)).toEqual([5, 6]);
  });

  it("keeps counts on whole numbers when the step may not go below 1", () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 1, 5, 1)).toEqual([0, 1]);
    expect(niceTicks(0, 3, 5, 1)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0, 7, 5, 1)).toEqual([0, 2, 4, 6, 8]);
  });
});

describe("timeTicks", () => {
  const hour = 3_600_000;
  it("puts ticks on whole steps inside the range", () => {
    const from = Date.UTC(2026, 10, 22, 9, 7);
    const ticks = timeTicks(from, from + 24 * hour, 6);
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.length).toBeLessThanOrEqual(6);
    for (const tick of ticks) {
      expect(tick % (6 * hour)).toBe(0);
      expect(tick).toBeGreaterThanOrEqual(from);
    }
  });

  it("has no ticks for an empty range", () => {
    expect(timeTicks(10, 10, 6)).toEqual([]);
  });
});

describe("splitAtGaps", () => {
  const at = (...times: number[]) => times.map((t) => ({ t }));
  it("breaks a line where points are further apart than the gap", () => {
    expect(splitAtGaps(at(0, 1, 2, 10, 11, 30), 2)).toEqual([at(0, 1, 2), at(10, 11), at(30)]);
    expect(splitAtGaps(at(0, 2, 4), 2)).toEqual([at(0, 2, 4)]);
    expect(splitAtGaps([], 2)).toEqual([]);
  });
});

describe("nearestIndex", () => {
  const points = [0, 10, 20, 40].map((t) => ({ t }));
  it("finds the nearest point, the earlier one on a tie", () => {
    expect(nearestIndex(points, -5)).toBe(0);
    expect(nearestIndex(points, 4)).toBe(0);
    expect(nearestIndex(points, 5)).toBe(0);
    expect(nearestIndex(points, 6)).toBe(1);
    expect(nearestIndex(points, 31)).toBe(3);
    expect(nearestIndex(points, 99)).toBe(3);
    expect(nearestIndex([], 1)).toBe(-1);
  });
});
