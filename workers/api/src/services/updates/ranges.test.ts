import { describe, expect, it } from "vitest";
import { MAX_RANGES, MAX_READS, parseRange, planReads } from "./ranges.ts";

describe("parseRange", () => {
  it("reads single, open, suffix and multiple ranges, clamped to the size", () => {
    expect(parseRange("bytes=0-9", 100)).toEqual({ kind: "ranges", ranges: [{ start: 0, end: 9 }] });
    expect(parseRange("bytes=90-", 100)).toEqual({ kind: "ranges", ranges: [{ start: 90, end: 99 }] });
    expect(parseRange("bytes=-5", 100)).toEqual({ kind: "ranges", ranges: [{ start: 95, end: 99 }] });
    expect(parseRange("bytes=-500", 100)).toEqual({ kind: "ranges", ranges: [{ start: 0, end: 99 }] });
    expect(parseRange("bytes= 0-1 , 5-6,98-200", 100)).toEqual({
      kind: "ranges",
      ranges: [
        { start: 0, end: 1 },
        { start: 5, end: 6 },
        { start: 98, end: 99 },
      ],
    });
  });

  it("drops ranges past the end, and is unsatisfiable when none is left", () => {
    expect(parseRange("bytes=0-1, 200-300", 100)).toEqual({ kind: "ranges", ranges: [{ start: 0, end: 1 }] });
    expect(parseRange("bytes=100-", 100)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-0", 100)).toEqual({ kind: "unsatisfiable" });
  });

  it("ignores headers that are not valid byte ranges (a full response)", () => {
    for (const header of [undefined, "", "bytes=", "bytes=a-b", "bytes=5-1", "lines=0-1", "bytes=0-1;x"]) {
      expect(parseRange(header, 100), String(header)).toEqual({ kind: "full" });
    }
    const tooMany = `bytes=${Array.from({ length: MAX_RANGES + 1 }, (_, i) => `${i}-${i}`).join(",")}`;
    expect(parseRange(tooMany, 10_000)).toEqual({ kind: "full" });
  });
});

describe("planReads", () => {
  it("reads close ranges together and keeps far or backwards ones apart", () => {
    const plans = planReads(
      [
        { start: 0, end: 9 },
        { start: 100, end: 199 },
        { start: 10_000_000, end: 10_000_009 },
        { start: 50, end: 60 },
      ],
      20_000_000,
    );
    expect(plans?.map(({ start, end, parts }) => [start, end, parts.length])).toEqual([
      [0, 199, 2],
      [10_000_000, 10_000_009, 1],
      [50, 60, 1],
    ]);
  });

  it("widens the gap until electron-updater's 1000 ranges fit a bounded number of reads", () => {
    const ranges = Array.from({ length: 1000 }, (_, i) => ({
      start: i * 1_000_000,
      end: i * 1_000_000 + 99,
    }));
    const plans = planReads(ranges, 1_000_000_000);
    expect(plans).not.toBeNull();
    expect(plans?.length).toBeLessThanOrEqual(MAX_READS);
    expect(plans?.flatMap((plan) => plan.parts)).toEqual(ranges);
  });

  it("gives up (null) when too many ranges go backwards to share reads", () => {
    const backwards = Array.from({ length: MAX_READS + 1 }, (_, i) => ({
      start: 1000 - i * 10,
      end: 1000 - i * 10 + 1,
    }));
    expect(planReads(backwards, 2000)).toBeNull();
  });
});
