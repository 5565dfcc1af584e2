import type { Activity } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  actorLabel,
  daysSince,
  describeStageChange,
  formatDaysInStage,
  formatGps,
  gpsOf,
  openStreetMapUrl,
  stageChangeOf,
} from "./activities.ts";

const activity = (overrides: Partial<Activity>): Activity => ({
  id: "a1",
  project_id: "p1",
  type: "note",
  body: null,
  data: {},
  actor: { type: "user", id: "u1" },
  occurred_at: "2026-11-20T10:00:00.000Z",
  created_at: "2026-11-20T10:00:00.000Z",
  ...overrides,
});

describe("check-ins", () => {
  it("read their GPS position and link it to OpenStreetMap", () => {
    const checkIn = activity({
      type: "check_in",
      data: { gps: { lat: 53.796481, lng: -1.547851, accuracy_m: 12.4 } },
    });
    const gps = gpsOf(checkIn);
    expect(gps).toEqual({ lat: 53.796481, lng: -1.547851, accuracy_m: 12.4 });
    if (!gps) throw new Error("no gps");
    expect(formatGps(gps)).toBe("53.79648, -1.54785 (±12 m)");
    expect(formatGps({ lat: 1, lng: 2 })).toBe("1.00000, 2.00000");
    expect(openStreetMapUrl(gps)).toBe(
      "https://www.openstreetmap.org/?mlat=53.796481&mlon=-1.547851#map=17/53.796481/-1.547851",
    );
  });

  it("ignore positions outside the contract's shape", () => {
    expect(gpsOf(activity({ data: { gps: { lat: 95, lng: 0 } } }))).toBeUndefined();
    expect(gpsOf(activity({ data: { gps: "53,1" } }))).toBeUndefined();
    expect(gpsOf(activity({}))).toBeUndefined();
  });
});

describe("stage changes", () => {
  const names: Record<string, string> = {
    enquiry: "Enquiry",
    design: "Design",
    survey_booked: "Survey booked",
  };
  const nameOf = (key: string) => names[key] ?? key;

  it("say where the project went and how", () => {
    const back = activity({
      type: "status_change",
      data: { from: "design", to: "survey_booked", kind: "back" },
    });
    const change = stageChangeOf(back);
    expect(change).toEqual({ from: "design", to: "survey_booked", kind: "back" });
    if (!change) throw new Error("no change");
    expect(describeStageChange(change, nameOf)).toBe("Moved back from Design to Survey booked");
    expect(describeStageChange({ from: "enquiry", to: "design", kind: "skip" }, nameOf)).toBe(
      "Skipped ahead from Enquiry to Design",
    );
    expect(describeStageChange({ from: null, to: "enquiry", kind: "created" }, nameOf)).toBe(
      "Created in Enquiry",
    );
  });

  it("are only read from status_change activities with the known shape", () => {
    expect(stageChangeOf(activity({ data: { from: "a", to: "b", kind: "back" } }))).toBeUndefined();
    expect(
      stageChangeOf(activity({ type: "status_change", data: { to: "b", kind: "teleport" } })),
    ).toBeUndefined();
  });
});

it("counts whole days in a stage", () => {
  const now = Date.parse("2026-11-21T12:00:00.000Z");
  expect(daysSince("2026-11-21T01:00:00.000Z", now)).toBe(0);
  expect(daysSince("2026-11-20T11:00:00.000Z", now)).toBe(1);
  expect(daysSince("2026-11-11T12:00:00.000Z", now)).toBe(10);
  expect(daysSince("2026-11-22T12:00:00.000Z", now)).toBe(0);
  expect(formatDaysInStage(0)).toBe("since today");
  expect(formatDaysInStage(1)).toBe("1 day");
  expect(formatDaysInStage(12)).toBe("12 days");
});

it("names the actor: a member by name, others by what they are", () => {
  const names = new Map([["u1", "Demo Owner"]]);
  expect(actorLabel({ type: "user", id: "u1" }, names)).toBe("Demo Owner");
  expect(actorLabel({ type: "user", id: "u9" }, names)).toBe("A team member");
  expect(actorLabel({ type: "operator", id: null }, names)).toBe("A Nexus operator");
  expect(actorLabel({ type: "martian", id: null }, names)).toBe("Someone");
});
