import { describe, expect, it } from "vitest";
import {
  adoptionSeries,
  compareVersions,
  dayRange,
  dayStart,
  statsSeries,
  totalsBy,
  versionAdoption,
} from "./releases-series.ts";

const stats = (day: string, release_id: string, company_id: string, checks: number, downloads = 0) => ({
  company_id,
  release_id,
  version: "1.0.0",
  day,
  checks,
  downloads,
  range_requests: 1,
});

describe("compareVersions", () => {
  it("orders by the numbers, a pre-release before its release", () => {
    const sorted = ["1.10.0", "1.2.0", "2.0.0-beta.2", "2.0.0", "2.0.0-beta.10", "v1.9.9"].sort(
      compareVersions,
    );
    expect(sorted).toEqual(["1.2.0", "v1.9.9", "1.10.0", "2.0.0-beta.2", "2.0.0-beta.10", "2.0.0"]);
    expect(compareVersions("1.0.0", "1.0.0+build")).toBe(0);
  });
});

describe("adoptionSeries", () => {
  it("draws a line per version over the days, newest version first, zero where it was not seen", () => {
    const series = adoptionSeries([
      { day: "2026-11-21", versions: { "1.5.0": 2, "1.4.2": 1 } },
      { day: "2026-11-20", versions: { "1.4.2": 3 } },
    ]);
    expect(series).toEqual([
      {
        name: "1.5.0",
        points: [
          { t: dayStart("2026-11-20"), v: 0 },
          { t: dayStart("2026-11-21"), v: 2 },
        ],
      },
      {
        name: "1.4.2",
        points: [
          { t: dayStart("2026-11-20"), v: 3 },
          { t: dayStart("2026-11-21"), v: 1 },
        ],
      },
    ]);
    expect(adoptionSeries([])).toEqual([]);
  });

  it("sums the least used versions beyond six lines", () => {
    const versions = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`1.${index}.0`, index + 1]));
    const series = adoptionSeries([{ day: "2026-11-21", versions }]);
    expect(series.map((line) => line.name)).toEqual([
      "1.7.0",
      "1.6.0",
      "1.5.0",
      "1.4.0",
      "1.3.0",
      "Other versions",
    ]);
    expect(series.at(-1)?.points[0]?.v).toBe(1 + 2 + 3);
  });
});

describe("update stats", () => {
  const rows = [
    stats("2026-11-21", "r2", "c1", 5, 1),
    stats("2026-11-20", "r1", "c1", 2),
    stats("2026-11-21", "r2", "c2", 4, 2),
  ];

  it("sums checks, downloads and range requests per day", () => {
    const [checks, downloads, ranges] = statsSeries(rows);
    expect(checks).toEqual({
      name: "Update checks",
      points: [
        { t: dayStart("2026-11-20"), v: 2 },
        { t: dayStart("2026-11-21"), v: 9 },
      ],
    });
    expect(downloads?.points.map((point) => point.v)).toEqual([0, 3]);
    expect(ranges?.points.map((point) => point.v)).toEqual([1, 2]);
  });

  it("totals per release and per company", () => {
    expect(totalsBy(rows, "release_id").get("r2")).toEqual({ checks: 9, downloads: 3, range_requests: 2 });
    expect(totalsBy(rows, "company_id").get("c1")).toEqual({ checks: 7, downloads: 1, range_requests: 2 });
  });
});

describe("dayRange", () => {
  it("ends today (UTC) and spans the days asked for", () => {
    const range = dayRange(30, Date.parse("2026-11-21T15:00:00Z"));
    expect(range.to).toBe(dayStart("2026-11-21"));
    expect(range.fromDay).toBe("2026-10-23");
    expect((range.to - range.from) / 86_400_000).toBe(29);
  });
});

describe("versionAdoption", () => {
  const now = Date.parse("2026-11-21T15:00:00Z");
  const current = [
    { app_version: "1.4.2", installations: 2 },
    { app_version: null, installations: 1 },
  ];

  it("makes the versions in use the chart's point for today, so the two cannot disagree", () => {
    const { versions, series } = versionAdoption(
      {
        current,
        daily: [
          { day: "2026-11-20", versions: { "1.3.0": 3 } },
          { day: "2026-11-21", versions: { "1.3.0": 1, "1.4.2": 1 } },
        ],
      },
      now,
    );
    expect(versions).toEqual([
      { label: "1.4.2", count: 2 },
      { label: "unknown", count: 1 },
    ]);
    const today = dayStart("2026-11-21");
    const onToday = series.map((line) => [line.name, line.points.find((point) => point.t === today)?.v]);
    expect(onToday).toEqual([
      ["1.4.2", 2],
      ["1.3.0", 0],
    ]);
  });

  it("draws today's versions when no day was rolled up yet, and nothing when none was reported", () => {
    const { series } = versionAdoption({ current, daily: [] }, now);
    expect(series).toEqual([{ name: "1.4.2", points: [{ t: dayStart("2026-11-21"), v: 2 }] }]);
    expect(versionAdoption({ current: [{ app_version: null, installations: 2 }], daily: [] }, now)).toEqual({
      versions: [{ label: "unknown", count: 2 }],
      series: [],
    });
  });
});
