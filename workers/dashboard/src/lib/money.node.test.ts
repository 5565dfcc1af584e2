import { describe, expect, it } from "vitest";
import { dollarsText, formatUsd, formatUsdMicros, parseDollars } from "./money.ts";

describe("formatUsdMicros", () => {
  it("shows dollars and cents from one cent up", () => {
    expect(formatUsdMicros(1_234_500_000)).toBe("$1,234.50");
    expect(formatUsdMicros(10_000)).toBe("$0.01");
    expect(formatUsdMicros(0)).toBe("$0.00");
  });

  it("keeps a fraction of a cent down to the micro-dollar", () => {
    expect(formatUsdMicros(45)).toBe("$0.000045");
    expect(formatUsdMicros(1_230)).toBe("$0.00123");
    expect(formatUsd(0.0002)).toBe("$0.0002");
  });
});

describe("parseDollars and dollarsText", () => {
  it("reads what people type, exactly", () => {
    expect(parseDollars("12")).toBe(12_000_000);
    expect(parseDollars(" $1,000.50 ")).toBe(1_000_500_000);
    expect(parseDollars("0.1")).toBe(100_000);
    expect(parseDollars("0.000045")).toBe(45);
    expect(parseDollars("")).toBeNull();
  });

  it("refuses what is not an amount", () => {
    expect(parseDollars("-1")).toBeUndefined();
    expect(parseDollars("1.0000001")).toBeUndefined();
    expect(parseDollars("ten")).toBeUndefined();
    expect(parseDollars("1e3")).toBeUndefined();
  });

  it("writes micro-USD back as the shortest dollars", () => {
    expect(dollarsText(1_500_000)).toBe("1.5");
    expect(dollarsText(5_000_000)).toBe("5");
    expect(dollarsText(45)).toBe("0.000045");
    expect(parseDollars(dollarsText(123_456_789))).toBe(123_456_789);
  });
});
