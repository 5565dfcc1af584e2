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
import { activities, documents, projectAssignments, projects } from "@nexus/db/tenant";
import { and, eq, inArray, isNull, max, or, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { QueryBuilder } from "drizzle-orm/sqlite-core";
import { ApiError } from "../../lib/errors.ts";
import { listPage, type Page } from "../list-page.ts";
import type { ProjectScope } from "./caller.ts";

export type ProjectRow = typeof projects.$inferSelect;
type Assignments = Partial<Record<AssignmentRole, string>>;

function toProjectView(row: ProjectRow, assignments: Assignments, stageEnteredAt: number): Project {
  return {
    id: row.id,
    number: row.number,
    reference: projectReference(row.number),
    title: row.title,
    client: row.client,
    showroom_id: row.showroomId,
    stage: row.stage,
    stage_entered_at: new Date(stageEnteredAt).toISOString(),
    status: row.status,
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

/**
 * The projects' views, with their assignments and when each entered its stage: the two lookups go to
 * D1 as one batch (one round trip) per IDS_PER_STATEMENT projects.
 */
export async function projectViews(db: D1Database, rows: readonly ProjectRow[]): Promise<Project[]> {
  const assignments = new Map<string, Assignments>();
  const entered = new Map<string, number>();
  const orm = drizzle(db);
  for (let i = 0; i < rows.length; i += IDS_PER_STATEMENT) {
    const ids = rows.slice(i, i + IDS_PER_STATEMENT).map((row) => row.id);
    const [assigned, moves] = await orm.batch([
      orm.select().from(projectAssignments).where(inArray(projectAssignments.projectId, ids)),
      // When each entered its current stage: its last stage change (every move, from the dashboard or
      // a device, writes a `status_change` activity with the row), or its creation when it never
      // moved. Derived from the history rather than stored, so no write path can leave it stale.
      orm
        .select({ projectId: activities.projectId, at: max(activities.createdAt) })
        .from(activities)
        .where(and(inArray(activities.projectId, ids), eq(activities.type, "status_change")))
        .groupBy(activities.projectId),
    ]);
    for (const row of assigned) {
      const held = assignments.get(row.projectId) ?? {};
      held[row.role] = row.userId;
      assignments.set(row.projectId, held);
    }
    for (const row of moves) if (row.at !== null) entered.set(row.projectId, row.at);
  }
  return rows.map((row) =>
    toProjectView(row, assignments.get(row.id) ?? {}, entered.get(row.id) ?? row.createdAt),
  );
}

/**
 * Projects with `userId` among their assignees. As `id IN (their assignments)` SQLite reads the user's
 * few assignments (project_assignments_user_project_idx) in id order instead of probing every project.
 */
const assignedTo = (userId: string): SQL =>
  inArray(
    projects.id,
    new QueryBuilder()
      .select({ projectId: projectAssignments.projectId })
      .from(projectAssignments)
      .where(eq(projectAssignments.userId, userId)),
  );

/** The SQL condition limiting projects to the caller's scope. */
export function inScope(scope: ProjectScope): SQL | undefined {
  return scope.all ? undefined : assignedTo(scope.userId);
}

/** The list's filters; `assignee` is a user id (the route resolves `me`). */
export interface ProjectFilters {
  stage?: string | undefined;
  showroom_id?: string | undefined;
  status?: Project["status"] | undefined;
  assignee?: string | undefined;
  q?: string | undefined;
}

/** A page of the projects in the caller's scope matching the filters, newest first. */
export async function projectPage(
  db: D1Database,
  scope: ProjectScope,
  filters: ProjectFilters,
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<ProjectRow>> {
  const number = filters.q ? /^p-?0*(\d{1,9})$/i.exec(filters.q)?.[1] : undefined;
  const text = filters.q ? `%${filters.q.toLowerCase().replace(/[%_\\]/g, "\\$&")}%` : undefined;
  const like = (column: typeof projects.title | typeof projects.clientName | typeof projects.clientEmail) =>
    // drizzle's like() has no ESCAPE clause, which the escaped % and _ of the search need.
    sql`lower(${column}) LIKE ${text} ESCAPE '\\'`;
  return listPage(
    page,
    projects.id,
    [
      inScope(scope),
      filters.stage ? eq(projects.stage, filters.stage) : undefined,
      filters.showroom_id ? eq(projects.showroomId, filters.showroom_id) : undefined,
      filters.status ? eq(projects.status, filters.status) : undefined,
      filters.assignee ? assignedTo(filters.assignee) : undefined,
      text
        ? or(
            like(projects.title),
            like(projects.clientName),
            like(projects.clientEmail),
            number ? eq(projects.number, Number(number)) : undefined,
          )
        : undefined,
    ],
    ({ where, orderBy, limit }) =>
      drizzle(db).select().from(projects).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
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
  const orm = drizzle(db);
  const [types, tags] = await orm.batch([
    orm
      .selectDistinct({ value: activities.type })
      .from(activities)
      .where(eq(activities.projectId, projectId)),
    // A document's tags are a JSON array: json_each (a table-valued function drizzle has no builder
    // for) turns them into rows.
    orm
      .selectDistinct({ value: sql<string>`tag.value` })
      .from(sql`${documents}, json_each(${documents.tags}) AS tag`)
      .where(
        and(eq(documents.projectId, projectId), eq(documents.status, "ready"), isNull(documents.deletedAt)),
      ),
  ]);
  return {
    activityTypes: new Set(types.map((row) => row.value)),
    documentTags: new Set(tags.map((row) => row.value)),
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

/** A page of the project's history, newest first. */
export function activityPage(
  db: D1Database,
  projectId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<typeof activities.$inferSelect>> {
  return listPage(
    page,
    activities.id,
    [eq(activities.projectId, projectId)],
    ({ where, orderBy, limit }) =>
      drizzle(db).select().from(activities).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
}

export function toActivityView(row: typeof activities.$inferSelect): Activity {
  return {
    id: row.id,
    project_id: row.projectId,
    type: row.type,
    body: row.body,
    data: row.data,
    actor: { type: row.actorType, id: row.actorId },
    occurred_at: new Date(row.occurredAt).toISOString(),
    created_at: new Date(row.createdAt).toISOString(),
  };
}
