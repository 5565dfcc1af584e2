import { DEFAULT_PIPELINE } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { describeMove, moveKind, nextStage, stageName, stageProgress } from "./stages.ts";

describe("moveKind", () => {
  it("calls the next stage an advance, further ahead a skip and any earlier stage a move back", () => {
    expect(moveKind(DEFAULT_PIPELINE, "enquiry", "consultation")).toBe("advance");
    expect(moveKind(DEFAULT_PIPELINE, "enquiry", "survey_booked")).toBe("skip");
    expect(moveKind(DEFAULT_PIPELINE, "design", "consultation")).toBe("back");
    expect(moveKind(DEFAULT_PIPELINE, "design", "design_presented")).toBe("advance");
  });

  it("has no move to the same stage or to a stage the pipeline lacks", () => {
    expect(moveKind(DEFAULT_PIPELINE, "design", "design")).toBeUndefined();
    expect(moveKind(DEFAULT_PIPELINE, "design", "nowhere")).toBeUndefined();
  });

  it("treats every stage as ahead of a project in a stage the pipeline dropped", () => {
    expect(moveKind(DEFAULT_PIPELINE, "gone", "enquiry")).toBe("advance");
    expect(moveKind(DEFAULT_PIPELINE, "gone", "design")).toBe("skip");
  });
});

it("marks the stages before the current one done and the rest ahead", () => {
  const progress = stageProgress(DEFAULT_PIPELINE.slice(0, 4), "survey_booked");
  expect(progress.map((entry) => [entry.stage.key, entry.state])).toEqual([
    ["enquiry", "done"],
    ["consultation", "done"],
    ["survey_booked", "current"],
    ["survey_completed", "ahead"],
  ]);
  expect(stageProgress(DEFAULT_PIPELINE.slice(0, 2), "gone").map((entry) => entry.state)).toEqual([
    "ahead",
    "ahead",
  ]);
});

it("names stages, falling back to the key, and finds the next one", () => {
  expect(stageName(DEFAULT_PIPELINE, "survey_booked")).toBe("Survey booked");
  expect(stageName(DEFAULT_PIPELINE, "legacy_stage")).toBe("legacy_stage");
  expect(nextStage(DEFAULT_PIPELINE, "enquiry")?.key).toBe("consultation");
  expect(nextStage(DEFAULT_PIPELINE, "completion")).toBeUndefined();
  expect(describeMove("back", "Design", "Survey booked")).toBe("Move back from Design to Survey booked");
});
