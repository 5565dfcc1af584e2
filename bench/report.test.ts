import { describe, expect, it } from "vitest";
import type { LoadResult } from "./load-client.ts";
import { buildRows, comparisons, formatComparisons, type Measured } from "./report.ts";
import { testRoute as route } from "./test-routes.ts";

const result = (okPerSecond: number, p50: number, p99: number, non2xx = 0): LoadResult => {
  const ok = okPerSecond * 10;
  return {
    durationSeconds: 10,
    responses: ok + non2xx,
    ok,
    non2xx,
    errors: 0,
    timeouts: 0,
    statusCodes: { "200": ok, ...(non2xx > 0 ? { "429": non2xx } : {}) },
    okPerSecond,
    okBytesPerSecond: okPerSecond * 500,
    latencyMs: { p50, p99, mean: p50, max: p99 },
  };
};

const baseline: Measured = { route: route("baseline"), result: result(1000, 5, 20) };
const direct: Measured = { route: route("direct"), result: result(1500, 4, 30) };
const gateway: Measured = {
  route: route("gateway", { comparedWith: "direct" }),
  result: result(300, 16, 120),
};

describe("comparisons", () => {
  it("gives req/s, p50 and p99 as ratios of the compared route, and the p50 it adds", () => {
    const measured = [direct, gateway];
    const [entry, ...rest] = comparisons(buildRows(baseline, measured), [gateway]);
    expect(rest).toEqual([]);
    expect(entry).toMatchObject({
      route: "gateway",
      against: "direct",
      reqPerSec: 300,
      againstReqPerSec: 1500,
      reqPerSecRatio: 0.2,
      p50Ratio: 4,
      p99Ratio: 4,
      p50AddedMs: 12,
    });
  });

  it("keeps the ratios against the no-op baseline in the rows", () => {
    const rows = buildRows(baseline, [direct, gateway]);
    expect(rows.find((row) => row.route === "gateway")).toMatchObject({ reqPerSecRatio: 0.3, p50Ratio: 3.2 });
  });

  it("gives no ratios when either route failed", () => {
    const failing: Measured = { route: route("direct"), result: result(1500, 4, 30, 5000) };
    const [entry] = comparisons(buildRows(baseline, [failing, gateway]), [gateway]);
    expect(entry).toMatchObject({ reqPerSecRatio: null, p50Ratio: null, p99Ratio: null, p50AddedMs: null });
    expect(formatComparisons(entry ? [entry] : [])).toContain("1500: n/a");
  });

  it("skips a route whose compared route was not measured", () => {
    expect(comparisons(buildRows(baseline, [gateway]), [gateway])).toEqual([]);
  });

  it("prints one line per comparison", () => {
    const lines = formatComparisons(comparisons(buildRows(baseline, [direct, gateway]), [gateway]));
    expect(lines).toBe(
      "vs direct: gateway 300 req/s vs 1500: 0.20x; p50 16.00 ms vs 4.00 ms: 4.00x (+12.00 ms); p99 120.00 ms vs 30.00 ms: 4.00x",
    );
  });
});
