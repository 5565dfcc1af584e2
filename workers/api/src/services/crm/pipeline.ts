// Pipelines in the tenant database: the default ('' showroom type) and any showroom type's own.
import type { PipelineStage, StageRequirement } from "@nexus/contracts";
import { pipelineStages } from "@nexus/db/tenant";
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

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
    requirements: row.requirements as StageRequirement[],
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

/** Replaces a pipeline's stages in one batch. */
export async function replacePipeline(db: D1Database, showroomType: string | null, stages: PipelineStage[]) {
  const type = showroomType ?? DEFAULT_TYPE;
  await db.batch([
    db.prepare("DELETE FROM pipeline_stages WHERE showroom_type = ?").bind(type),
    ...stages.map((stage, position) =>
      db
        .prepare(
          "INSERT INTO pipeline_stages (showroom_type, key, position, name, requirements, assignee_role) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(type, stage.key, position, stage.name, JSON.stringify(stage.requirements), stage.assignee_role),
    ),
  ]);
}
