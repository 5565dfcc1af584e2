import { describe, expect, it } from "vitest";
import { bucketStarts, groupTotals, usageSeries, usageViewFrom, usageViewQuery } from "./llm-usage-series.ts";

const DAY = 86_400_000;
const day = (n: number) => new Date(Date.UTC(2026, 11, n)).toISOString();
const row = (n: number, group: string, requests: number, cost: number) => ({
  bucket_start: day(n),
  group,
  requests,
  input_tokens: 10 * requests,
  cached_tokens: 0,
  output_tokens: 5 * requests,
  cost_usd_micros: cost,
});

describe("usageSeries", () => {
  const usage = {
    from: new Date(Date.UTC(2026, 11, 1, 9)).toISOString(),
    to: new Date(Date.UTC(2026, 11, 4, 9)).toISOString(),
    bucket: "day" as const,
    series: [row(1, "default", 2, 300), row(3, "default", 1, 100), row(3, "cheap", 4, 40)],
  };

  it("gives every bucket of the range a value, 0 where there were no calls", () => {
    const [top, second] = usageSeries(usage, "requests", (group) => `Model ${group}`);
    expect(top?.name).toBe("Model default");
    expect(top?.points).toEqual([
      { t: Date.parse(day(1)), v: 2 },
      { t: Date.parse(day(2)), v: 0 },
      { t: Date.parse(day(3)), v: 1 },
      { t: Date.parse(day(4)), v: 0 },
    ]);
    expect(second?.points.map((point) => point.v)).toEqual([0, 0, 4, 0]);
  });

  it("charts cost in dollars and tokens as input plus output", () => {
    const [top] = usageSeries(usage, "cost", String);
    expect(top?.points[0]?.v).toBeCloseTo(0.0003);
    const [, cheap] = usageSeries(usage, "tokens", String);
    expect(cheap?.points[2]?.v).toBe(60);
  });

  it("sums the smallest groups into one line beyond six", () => {
    const many = {
      ...usage,
      series: Array.from({ length: 8 }, (_, i) => row(2, `m${i}`, i + 1, (i + 1) * 10)),
    };
    const lines = usageSeries(many, "requests", String);
    expect(lines.map((line) => line.name)).toEqual(["m7", "m6", "m5", "m4", "m3", "Other (3)"]);
    expect(lines.at(-1)?.points[1]?.v).toBe(1 + 2 + 3);
  });
});

it("totals per group, largest cost first", () => {
  expect(groupTotals([row(1, "a", 1, 5), row(2, "b", 1, 50), row(3, "a", 2, 10)])).toEqual([
    { group: "b", requests: 1, inputTokens: 10, cachedTokens: 0, outputTokens: 5, costMicros: 50 },
    { group: "a", requests: 3, inputTokens: 30, cachedTokens: 0, outputTokens: 15, costMicros: 15 },
  ]);
});

it("aligns buckets to UTC", () => {
  expect(bucketStarts(Date.UTC(2026, 11, 1, 9), Date.UTC(2026, 11, 2, 1), DAY)).toEqual([
    Date.UTC(2026, 11, 1),
    Date.UTC(2026, 11, 2),
  ]);
});

it("keeps the view in the address, defaults left out", () => {
  expect(usageViewFrom("")).toEqual({ group: "model", bucket: "day", days: "30", metric: "cost" });
  const view = usageViewFrom("?group=api_key&bucket=hour&days=7&metric=bogus");
  expect(view).toEqual({ group: "api_key", bucket: "hour", days: "7", metric: "cost" });
  expect(usageViewQuery(view)).toBe("?group=api_key&bucket=hour&days=7");
});
