import { describe, expect, it } from "vitest";
import { planParts } from "./upload.ts";

const MiB = 1024 * 1024;

describe("planParts", () => {
  it("cuts parts of exactly the part size, the last one smaller", () => {
    expect(planParts(40 * MiB, 16 * MiB)).toEqual([
      { partNumber: 1, start: 0, end: 16 * MiB },
      { partNumber: 2, start: 16 * MiB, end: 32 * MiB },
      { partNumber: 3, start: 32 * MiB, end: 40 * MiB },
    ]);
  });

  it("covers every byte once, also when the size is a multiple of the part size", () => {
    const parts = planParts(32 * MiB, 16 * MiB);
    expect(parts.map((part) => part.end - part.start)).toEqual([16 * MiB, 16 * MiB]);
    const odd = planParts(5 * MiB * 3 + 1, 5 * MiB);
    expect(odd).toHaveLength(4);
    expect(odd.at(-1)).toEqual({ partNumber: 4, start: 15 * MiB, end: 15 * MiB + 1 });
    expect(odd.reduce((sum, part) => sum + part.end - part.start, 0)).toBe(15 * MiB + 1);
  });

  it("sends a file smaller than a part as one part", () => {
    expect(planParts(123, 16 * MiB)).toEqual([{ partNumber: 1, start: 0, end: 123 }]);
  });

  it("refuses part sizes R2 would refuse, empty files and more than 10,000 parts", () => {
    expect(() => planParts(10 * MiB, MiB)).toThrow(/at least/);
    expect(() => planParts(10 * MiB, 5.5 * MiB + 0.5)).toThrow(RangeError);
    expect(() => planParts(0, 16 * MiB)).toThrow(RangeError);
    expect(() => planParts(5 * MiB * 10_001, 5 * MiB)).toThrow(/10000/);
  });
});
