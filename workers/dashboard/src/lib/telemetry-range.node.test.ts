import { RESOLUTION_MS, TELEMETRY_LIMITS } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  axisTimeFormat,
  bucketCount,
  bucketTimeFormat,
  canPanLater,
  canZoomIn,
  chartQueryString,
  fitResolution,
  MIN_SPAN,
  panRange,
  parseChartQuery,
  presetRange,
  resolutionRefusal,
  selectRange,
  zoomRange,
} from "./telemetry-range.ts";

const { minute: MINUTE, hour: HOUR, day: DAY } = RESOLUTION_MS;
const NOW = Date.UTC(2026, 10, 22, 12, 0);

describe("resolutions", () => {
  it("counts buckets as the API does and refuses what it refuses", () => {
    expect(bucketCount(NOW - HOUR, NOW, "minute")).toBe(60);
    expect(bucketCount(NOW - 90 * MINUTE, NOW, "hour")).toBe(2);
    expect(resolutionRefusal(NOW - DAY, NOW, "minute")).toBeUndefined();
    // 7 days by minute is 10,080 points, over the API's 5,000.
    expect(TELEMETRY_LIMITS.maxSeriesPoints).toBe(5000);
    expect(resolutionRefusal(NOW - 7 * DAY, NOW, "minute")).toMatch(/10,080 minute points, over the limit/);
    expect(resolutionRefusal(NOW - 7 * DAY, NOW, "hour")).toBeUndefined();
  });

  it("keeps an accepted resolution and replaces a refused one by the finest accepted", () => {
    expect(fitResolution(NOW - DAY, NOW, "day")).toBe("day");
    expect(fitResolution(NOW - 30 * DAY, NOW, "minute")).toBe("hour");
    expect(fitResolution(NOW - 366 * DAY, NOW, "minute")).toBe("day");
  });
});

describe("presets", () => {
  it("end now, with their resolution unless another accepted one is asked for", () => {
    expect(presetRange("1h", NOW)).toEqual({ from: NOW - HOUR, to: NOW, resolution: "minute", preset: "1h" });
    expect(presetRange("30d", NOW).resolution).toBe("day");
    expect(presetRange("24h", NOW, "hour").resolution).toBe("hour");
    expect(presetRange("7d", NOW, "minute").resolution).toBe("hour");
  });
});

describe("zoom and pan", () => {
  const day = presetRange("24h", NOW);

  it("zooms in around the centre, out again, and never into the future", () => {
    const zoomedIn = zoomRange(day, 0.5, NOW);
    expect(zoomedIn).toEqual({ from: NOW - 18 * HOUR, to: NOW - 6 * HOUR, resolution: "minute" });
    const zoomedOut = zoomRange(zoomedIn, 2, NOW);
    expect(zoomedOut).toEqual({ from: NOW - DAY, to: NOW, resolution: "minute" });
    // Doubling the last day would reach 12 hours past now: it ends now instead.
    expect(zoomRange(day, 2, NOW)).toEqual({ from: NOW - 2 * DAY, to: NOW, resolution: "minute" });
  });

  it("goes coarser when zooming out past the point limit, finer when zooming in leaves too few", () => {
    const fourDays = { from: NOW - 4 * DAY, to: NOW, resolution: "minute" as const };
    expect(zoomRange(fourDays, 2, NOW).resolution).toBe("hour");
    const byDay = { from: NOW - 2 * DAY, to: NOW, resolution: "day" as const };
    expect(zoomRange(byDay, 0.5, NOW).resolution).toBe("hour");
    // Zooming out keeps a coarse choice the user made.
    expect(zoomRange(byDay, 2, NOW).resolution).toBe("day");
  });

  it("stops zooming in at the minimum span", () => {
    let range = presetRange("1h", NOW);
    for (let i = 0; i < 10; i++) range = zoomRange(range, 0.5, NOW);
    expect(range.to - range.from).toBe(MIN_SPAN);
    expect(canZoomIn(range)).toBe(false);
  });

  it("selects a dragged sub-range, widened to the minimum span", () => {
    expect(selectRange(day, NOW - 6 * HOUR, NOW - 4 * HOUR, NOW)).toEqual({
      from: NOW - 6 * HOUR,
      to: NOW - 4 * HOUR,
      resolution: "minute",
    });
    const tiny = selectRange(day, NOW - HOUR, NOW - HOUR + MINUTE, NOW);
    expect(tiny.to - tiny.from).toBe(MIN_SPAN);
  });

  it("pans by half a span, and not past now", () => {
    const earlier = panRange(day, -1, NOW);
    expect(earlier).toEqual({ from: NOW - 36 * HOUR, to: NOW - 12 * HOUR, resolution: "minute" });
    expect(canPanLater(earlier, NOW)).toBe(true);
    expect(panRange(earlier, 1, NOW)).toEqual({ from: NOW - DAY, to: NOW, resolution: "minute" });
    expect(canPanLater(day, NOW)).toBe(false);
    expect(panRange(day, 1, NOW)).toEqual({ from: NOW - DAY, to: NOW, resolution: "minute" });
  });
});

describe("the address query", () => {
  it("round-trips a preset and an absolute range", () => {
    const preset = presetRange("7d", NOW);
    const text = chartQueryString("temperature", preset);
    expect(text).toBe("metric=temperature&range=7d&resolution=hour");
    expect(parseChartQuery(text, NOW)).toEqual({ metric: "temperature", range: preset });

    const absolute = { from: NOW - 3 * HOUR, to: NOW - HOUR, resolution: "minute" as const };
    const linked = chartQueryString("spindle.rpm", absolute, "?other=1&metric=old");
    expect(linked).toBe(
      "other=1&metric=spindle.rpm&from=2026-11-22T09%3A00%3A00.000Z&to=2026-11-22T11%3A00%3A00.000Z&resolution=minute",
    );
    expect(parseChartQuery(linked, NOW + DAY)).toEqual({ metric: "spindle.rpm", range: absolute });
  });

  it("falls back to the last 24 hours and fits a refused resolution", () => {
    expect(parseChartQuery("", NOW)).toEqual({ metric: undefined, range: presetRange("24h", NOW) });
    expect(parseChartQuery("?metric=DROP%20TABLE&from=nonsense&to=2026-11-22", NOW)).toEqual({
      metric: undefined,
      range: presetRange("24h", NOW),
    });
    // Backwards ranges are not ranges.
    expect(parseChartQuery("?from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", NOW).range.preset).toBe(
      "24h",
    );
    const refused = parseChartQuery("?range=30d&resolution=minute", NOW);
    expect(refused.range.resolution).toBe("hour");
  });
});

describe("time labels", () => {
  const t = Date.UTC(2026, 10, 22, 9, 5);
  it("are UTC and fit the span", () => {
    expect(axisTimeFormat(t, t + HOUR)(t)).toBe("09:05");
    expect(axisTimeFormat(t, t + 3 * DAY)(t)).toBe("22 Nov, 09:05");
    expect(axisTimeFormat(t, t + 30 * DAY)(t)).toBe("22 Nov");
    expect(bucketTimeFormat("minute")(t)).toBe("22 Nov 2026, 09:05 UTC");
    expect(bucketTimeFormat("day")(t)).toBe("22 Nov 2026");
  });
});
