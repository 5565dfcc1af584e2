import { describe, expect, it } from "vitest";
import { localMinutes, quietHoursEnd } from "./quiet-hours.ts";

const at = (iso: string) => Date.parse(iso);

describe("quietHoursEnd", () => {
  it("holds inside a window that crosses midnight, in the recipient's zone, until its local end", () => {
    const quiet = { timeZone: "Europe/Berlin", start: "22:00", end: "07:00" };
    // 23:30 in Berlin (CET, UTC+1) → 07:00 Berlin the next morning = 06:00Z.
    expect(quietHoursEnd(at("2026-01-15T22:30:00Z"), quiet)).toBe(at("2026-01-16T06:00:00Z"));
    // 05:10:30 Berlin, after midnight → 07:00 the same morning.
    expect(quietHoursEnd(at("2026-01-16T04:10:30Z"), quiet)).toBe(at("2026-01-16T06:00:00Z"));
    // 07:00 and 21:59 Berlin are outside.
    expect(quietHoursEnd(at("2026-01-16T06:00:00Z"), quiet)).toBeNull();
    expect(quietHoursEnd(at("2026-01-16T20:59:00Z"), quiet)).toBeNull();
    // The same instant is daytime for a recipient in Los Angeles.
    expect(
      quietHoursEnd(at("2026-01-15T22:30:00Z"), { ...quiet, timeZone: "America/Los_Angeles" }),
    ).toBeNull();
  });

  it("holds inside a same-day window", () => {
    const quiet = { timeZone: "Asia/Tokyo", start: "12:00", end: "13:30" };
    expect(quietHoursEnd(at("2026-03-01T03:15:00Z"), quiet)).toBe(at("2026-03-01T04:30:00Z"));
    expect(quietHoursEnd(at("2026-03-01T04:30:00Z"), quiet)).toBeNull();
  });

  it("follows the clock over a daylight saving change", () => {
    // Berlin springs forward on 2026-03-29 at 02:00 → 03:00; 22:00–07:00 that night is 8 hours long.
    const quiet = { timeZone: "Europe/Berlin", start: "22:00", end: "07:00" };
    expect(quietHoursEnd(at("2026-03-28T21:30:00Z"), quiet)).toBe(at("2026-03-29T05:00:00Z"));
    // And falls back on 2026-10-25 (10 hours long).
    expect(quietHoursEnd(at("2026-10-24T20:30:00Z"), quiet)).toBe(at("2026-10-25T06:00:00Z"));
    expect(localMinutes(at("2026-03-29T05:00:00Z"), "Europe/Berlin")).toBe(7 * 60);
  });

  it("delivers when there is no window to hold for", () => {
    expect(quietHoursEnd(Date.now(), { timeZone: "UTC", start: "00:00", end: "00:00" })).toBeNull();
    expect(quietHoursEnd(Date.now(), { timeZone: "Not/AZone", start: "00:00", end: "23:59" })).toBeNull();
  });
});
