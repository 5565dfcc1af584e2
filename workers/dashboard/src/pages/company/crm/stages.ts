// Where a project stands in its pipeline and what kind of move a target stage is. The API decides
// moves by the same rule (workers/api/src/services/crm/stages.ts); the page uses it to know before
// sending whether a move needs a reason.
import type { PipelineStage } from "@nexus/contracts";

export type MoveKind = "advance" | "skip" | "back";
export type StageState = "done" | "current" | "ahead";

/** The next stage is an advance; further ahead is a skip; any earlier stage is a move back. */
export function moveKind(stages: readonly PipelineStage[], from: string, to: string): MoveKind | undefined {
  const fromIndex = stages.findIndex((stage) => stage.key === from);
  const toIndex = stages.findIndex((stage) => stage.key === to);
  if (toIndex < 0 || toIndex === fromIndex) return undefined;
  if (toIndex === fromIndex + 1) return "advance";
  return toIndex > fromIndex ? "skip" : "back";
}

export function nextStage(stages: readonly PipelineStage[], current: string): PipelineStage | undefined {
  const index = stages.findIndex((stage) => stage.key === current);
  return index < 0 ? undefined : stages[index + 1];
}

/** A stage's name, or its key when the pipeline no longer has it (it was renamed or dropped). */
export function stageName(stages: readonly PipelineStage[], key: string): string {
  return stages.find((stage) => stage.key === key)?.name ?? key;
}

/** Every stage marked done, current or ahead of the project's stage. */
export function stageProgress(
  stages: readonly PipelineStage[],
  current: string,
): { stage: PipelineStage; state: StageState }[] {
  const at = stages.findIndex((stage) => stage.key === current);
  return stages.map((stage, index) => ({
    stage,
    state: index === at ? "current" : at >= 0 && index < at ? "done" : "ahead",
  }));
}

const MOVE_VERBS: Record<MoveKind, string> = {
  advance: "Advance",
  skip: "Skip ahead",
  back: "Move back",
};

/** "Move back from Design to Survey booked". */
export function describeMove(kind: MoveKind, fromName: string, toName: string): string {
  return `${MOVE_VERBS[kind]} from ${fromName} to ${toName}`;
}
