// Projects in the tenant database: views with their assignments, loading within the caller's scope
// (an installer's unassigned project does not exist for them), and the stage requirement checks.
import {
  type Activity,
  type AssignmentRole,
  type PipelineStage,
  type Project,
  projectReference,
  type StageRequirement,
} from "@nexus/contracts";
import { activities, projectAssignments, projects } from "@nexus/db/tenant";
import { and, eq, inArray, max, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../../lib/errors.ts";
import type { ProjectScope } from "./caller.ts";

export type ProjectRow = typeof projects.$inferSelect;
type Assignments = Partial<Record<AssignmentRole, string>>;

function toProjectView(row: ProjectRow, assignments: Assignments, stageEnteredAt: number): Project {
  return {
    id: row.id,
    number: row.number,
    reference: projectReference(row.number),
    title: row.title,
    client: row.client as Project["client"],
    showroom_id: row.showroomId,
    stage: row.stage,
    stage_entered_at: new Date(stageEnteredAt).toISOString(),
    status: row.status as Project["status"],
    value: row.value,
    checklist: row.checklist,
    assignments,
    expected_completion: row.expectedCompletion,
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
  };
}

/** D1 binds at most 100 parameters per statement. */
const IDS_PER_STATEMENT = 90;

/** The projects' views, with their assignments and when each entered its stage. */
export async function projectViews(db: D1Database, rows: readonly ProjectRow[]): Promise<Project[]> {
  const ids = rows.map((row) => row.id);
  const [assignments, entered] = await Promise.all([assignmentsOf(db, ids), stageEnteredAt(db, ids)]);
  return rows.map((row) =>
    toProjectView(row, assignments.get(row.id) ?? {}, entered.get(row.id) ?? row.createdAt),
  );
}

/**
 * When each project entered its current stage: its last stage change (every move, from the dashboard
 * or a device, writes a `status_change` activity with the row), or its creation when it never moved.
 * Derived from the history rather than stored, so no write path can leave it stale.
 */
async function stageEnteredAt(db: D1Database, projectIds: string[]): Promise<Map<string, number>> {
  const entered = new Map<string, number>();
  for (let i = 0; i < projectIds.length; i += IDS_PER_STATEMENT) {
    const rows = await drizzle(db)
      .select({ projectId: activities.projectId, at: max(activities.createdAt) })
      .from(activities)
      .where(
        and(
          inArray(activities.projectId, projectIds.slice(i, i + IDS_PER_STATEMENT)),
          eq(activities.type, "status_change"),
        ),
      )
      .groupBy(activities.projectId);
    for (const row of rows) if (row.at !== null) entered.set(row.projectId, row.at);
  }
  return entered;
}

/** Assignments of several projects. */
async function assignmentsOf(db: D1Database, projectIds: string[]): Promise<Map<string, Assignments>> {
  const byProject = new Map<string, Assignments>();
  for (let i = 0; i < projectIds.length; i += IDS_PER_STATEMENT) {
    const rows = await drizzle(db)
      .select()
      .from(projectAssignments)
      .where(inArray(projectAssignments.projectId, projectIds.slice(i, i + IDS_PER_STATEMENT)));
    for (const row of rows) {
      const assignments = byProject.get(row.projectId) ?? {};
      assignments[row.role as AssignmentRole] = row.userId;
      byProject.set(row.projectId, assignments);
    }
  }
  return byProject;
}

/** The SQL condition limiting projects to the caller's scope. */
export function inScope(scope: ProjectScope) {
  return scope.all
    ? undefined
    : sql`EXISTS (SELECT 1 FROM project_assignments a WHERE a.project_id = ${projects.id} AND a.user_id = ${scope.userId})`;
}

export async function loadProject(db: D1Database, projectId: string, scope: ProjectScope) {
  const [row] = await drizzle(db)
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), inScope(scope)))
    .limit(1);
  if (!row)
    throw new ApiError("PROJECT_NOT_FOUND", `There is no project ${projectId} you can see in this company.`);
  const [view] = await projectViews(db, [row]);
  if (!view) throw new Error("projectViews returned no view for a loaded project");
  return { row, assignments: view.assignments, view };
}

/** What the project has beyond its record, for the activity and document requirements. */
interface RequirementFacts {
  activityTypes: ReadonlySet<string>;
  documentTags: ReadonlySet<string>;
}

/** The project's activity types and its ready documents' tags: two queries, whatever is asked. */
async function requirementFacts(db: D1Database, projectId: string): Promise<RequirementFacts> {
  const [types, tags] = await db.batch<{ value: string }>([
    db.prepare("SELECT DISTINCT type AS value FROM activities WHERE project_id = ?").bind(projectId),
    db
      .prepare(
        `SELECT DISTINCT j.value AS value FROM documents d, json_each(d.tags) j
          WHERE d.project_id = ? AND d.status = 'ready' AND d.deleted_at IS NULL`,
      )
      .bind(projectId),
  ]);
  return {
    activityTypes: new Set((types?.results ?? []).map((row) => row.value)),
    documentTags: new Set((tags?.results ?? []).map((row) => row.value)),
  };
}

/** Whether one requirement holds for the project now. */
function requirementMet(
  project: ProjectRow,
  assignments: Assignments,
  facts: RequirementFacts,
  requirement: StageRequirement,
): boolean {
  switch (requirement.kind) {
    case "assignment":
      return assignments[requirement.role] !== undefined;
    case "checklist":
      return project.checklist[requirement.key] === true;
    case "activity":
      return facts.activityTypes.has(requirement.type);
    case "document":
      return facts.documentTags.has(requirement.tag);
  }
}

/** Each stage's requirements and whether the project meets them now. */
export async function requirementStatus(
  db: D1Database,
  project: ProjectRow,
  assignments: Assignments,
  stages: readonly PipelineStage[],
) {
  const facts = await requirementFacts(db, project.id);
  return stages.map((stage) => ({
    key: stage.key,
    name: stage.name,
    requirements: stage.requirements.map((requirement) => ({
      requirement,
      met: requirementMet(project, assignments, facts, requirement),
    })),
  }));
}

/** The requirements of `stage` the project does not meet. */
export async function unmetRequirements(
  db: D1Database,
  project: ProjectRow,
  assignments: Assignments,
  stage: PipelineStage,
): Promise<StageRequirement[]> {
  const [status] = await requirementStatus(db, project, assignments, [stage]);
  return (status?.requirements ?? []).filter((check) => !check.met).map((check) => check.requirement);
}

export function toActivityView(row: typeof activities.$inferSelect): Activity {
  return {
    id: row.id,
    project_id: row.projectId,
    type: row.type as Activity["type"],
    body: row.body,
    data: row.data,
    actor: { type: row.actorType, id: row.actorId },
    occurred_at: new Date(row.occurredAt).toISOString(),
    created_at: new Date(row.createdAt).toISOString(),
  };
}
