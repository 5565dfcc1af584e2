// Moving a project between stages: which kind of move it is, and what the target stage still needs.
// The dashboard's move route and the mobile sync's `job.setStage` decide by the same rules.
import type { AssignmentRole, PipelineStage, StageRequirement } from "@nexus/contracts";
import { showrooms } from "@nexus/db/tenant";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../../lib/errors.ts";
import { pipelineFor } from "./pipeline.ts";
import { type ProjectRow, unmetRequirements } from "./projects.ts";

export type MoveKind = "advance" | "skip" | "back";

export async function showroomTypeOf(db: D1Database, showroomId: string): Promise<string> {
  const [row] = await drizzle(db)
    .select({ type: showrooms.type })
    .from(showrooms)
    .where(eq(showrooms.id, showroomId));
  if (!row) throw new ApiError("NOT_FOUND", `This company has no showroom ${showroomId}.`);
  return row.type;
}

/** The move to `toStage`: its kind and, for an advance, the target's unmet requirements. */
export async function planMove(
  db: D1Database,
  project: ProjectRow,
  assignments: Partial<Record<AssignmentRole, string>>,
  toStage: string,
): Promise<{ target: PipelineStage; kind: MoveKind; unmet: StageRequirement[] }> {
  const { stages } = await pipelineFor(db, await showroomTypeOf(db, project.showroomId));
  const from = stages.findIndex((stage) => stage.key === project.stage);
  const to = stages.findIndex((stage) => stage.key === toStage);
  const target = stages[to];
  if (!target) {
    throw new ApiError("VALIDATION_FAILED", `This project's pipeline has no stage "${toStage}".`, {
      stages: stages.map((stage) => stage.key),
    });
  }
  if (to === from) throw new ApiError("VALIDATION_FAILED", `The project is already in ${target.name}.`);
  const kind: MoveKind = to === from + 1 ? "advance" : to > from ? "skip" : "back";
  const unmet = kind === "advance" ? await unmetRequirements(db, project, assignments, target) : [];
  return { target, kind, unmet };
}

export function unmetError(target: PipelineStage, unmet: StageRequirement[]): ApiError {
  return new ApiError(
    "STAGE_REQUIREMENTS_UNMET",
    `${target.name} needs: ${unmet.map((requirement) => requirement.label).join("; ")}.`,
    { stage: target.key, unmet },
  );
}
