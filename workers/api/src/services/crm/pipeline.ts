// Pipelines in the tenant database: the default ('' showroom type) and any showroom type's own.
import type { PipelineStage } from "@nexus/contracts";
import { pipelineStages, projects, showrooms } from "@nexus/db/tenant";
import { and, asc, count, eq, notExists, notInArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../../lib/errors.ts";

const DEFAULT_TYPE = "";

async function stagesOf(db: D1Database, showroomType: string): Promise<PipelineStage[]> {
  const rows = await drizzle(db)
    .select()
    .from(pipelineStages)
    .where(eq(pipelineStages.showroomType, showroomType))
    .orderBy(asc(pipelineStages.position));
  return rows.map((row) => ({
    key: row.key,
    name: row.name,
    requirements: row.requirements,
    assignee_role: row.assigneeRole as PipelineStage["assignee_role"],
  }));
}

/** The pipeline a showroom type uses: its own if it has one, else the company's default. */
export async function pipelineFor(
  db: D1Database,
  showroomType: string | null,
): Promise<{ showroomType: string | null; stages: PipelineStage[] }> {
  if (showroomType) {
    const own = await stagesOf(db, showroomType);
    if (own.length > 0) return { showroomType, stages: own };
  }
  return { showroomType: null, stages: await stagesOf(db, DEFAULT_TYPE) };
}

/**
 * Refuses a pipeline that drops stages projects are in: those of the showroom type's showrooms, or
 * for the default pipeline, of the showrooms whose type has no pipeline of its own.
 */
export async function assertNoStranded(
  db: D1Database,
  showroomType: string | null,
  stages: PipelineStage[],
): Promise<void> {
  const orm = drizzle(db);
  const stranded = await orm
    .select({ stage: projects.stage, n: count() })
    .from(projects)
    .innerJoin(showrooms, eq(showrooms.id, projects.showroomId))
    .where(
      and(
        showroomType !== null
          ? eq(showrooms.type, showroomType)
          : notExists(
              orm
                .select({ key: pipelineStages.key })
                .from(pipelineStages)
                .where(eq(pipelineStages.showroomType, showrooms.type)),
            ),
        notInArray(
          projects.stage,
          stages.map((stage) => stage.key),
        ),
      ),
    )
    .groupBy(projects.stage);
  if (stranded.length > 0) {
    throw new ApiError(
      "PIPELINE_STAGE_IN_USE",
      `Projects are still in stages this pipeline drops: ${stranded.map((r) => `${r.stage} (${r.n})`).join(", ")}. Move them first.`,
      { stages_in_use: stranded },
    );
  }
}

/** Replaces a pipeline's stages in one batch. */
export async function replacePipeline(db: D1Database, showroomType: string | null, stages: PipelineStage[]) {
  const type = showroomType ?? DEFAULT_TYPE;
  const orm = drizzle(db);
  await orm.batch([
    orm.delete(pipelineStages).where(eq(pipelineStages.showroomType, type)),
    ...stages.map((stage, position) =>
      orm.insert(pipelineStages).values({
        showroomType: type,
        key: stage.key,
        position,
        name: stage.name,
        requirements: stage.requirements,
        assigneeRole: stage.assignee_role,
      }),
    ),
  ]);
}
