// Writing projects in the tenant database: opening one with the next number, changing its fields and
// assignments, moving it between stages, and its history.
import type {
  Activity,
  AssignmentRole,
  CreateProjectRequestSchema,
  PipelineStage,
  UpdateProjectRequestSchema,
} from "@nexus/contracts";
import { activities, projectAssignments, projectCounter, projects } from "@nexus/db/tenant";
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { z } from "zod";
import type { Actor } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { insertSelect } from "./insert-select.ts";
import { pipelineFor } from "./pipeline.ts";
import type { ProjectRow } from "./projects.ts";
import { type MoveKind, showroomTypeOf } from "./stages.ts";

type Orm = ReturnType<typeof drizzle>;
type AssignmentChanges = Partial<Record<AssignmentRole, string | null>>;
type ActivityRow = typeof activities.$inferSelect;

/** Queries replacing some of a project's assignments (null removes one). */
function assignmentQueries(orm: Orm, projectId: string, changes: AssignmentChanges) {
  // Object.entries forgets that the keys are roles; the changes were validated as such.
  const entries = Object.entries(changes) as [AssignmentRole, string | null | undefined][];
  return entries.map(([role, userId]) =>
    typeof userId === "string"
      ? orm
          .insert(projectAssignments)
          .values({ projectId, role, userId })
          .onConflictDoUpdate({
            target: [projectAssignments.projectId, projectAssignments.role],
            set: { userId },
          })
      : orm
          .delete(projectAssignments)
          .where(and(eq(projectAssignments.projectId, projectId), eq(projectAssignments.role, role))),
  );
}

/** The users an assignment change names (they must be members of the company). */
export const assignedUsers = (changes: AssignmentChanges) =>
  Object.values(changes).filter((id): id is string => typeof id === "string");

export interface NewActivity {
  type: Activity["type"];
  body?: string | null;
  data?: Record<string, unknown>;
  /** When it happened (default: now). */
  occurredAt?: number;
  /** The client's id for it (default: a new one). */
  id?: string;
}

/** An activity's row, written by `actor` now. */
export function activityRow(projectId: string, activity: NewActivity, actor: Actor) {
  const now = Date.now();
  return {
    id: activity.id ?? newId(now),
    projectId,
    type: activity.type,
    body: activity.body ?? null,
    data: activity.data ?? {},
    actorType: actor.type,
    actorId: actor.id,
    occurredAt: activity.occurredAt ?? now,
    createdAt: now,
  } satisfies typeof activities.$inferInsert;
}

/** Records an activity; returns its row. */
export async function recordActivity(
  db: D1Database,
  projectId: string,
  activity: NewActivity,
  actor: Actor,
): Promise<ActivityRow> {
  const [row] = await drizzle(db)
    .insert(activities)
    .values(activityRow(projectId, activity, actor))
    .returning();
  if (!row) throw new Error("the activity insert returned no row");
  return row;
}

/** Opens a project in its showroom pipeline's first stage; returns its id. */
export async function openProject(
  db: D1Database,
  input: z.output<typeof CreateProjectRequestSchema>,
  actor: Actor,
): Promise<string> {
  const [first] = (await pipelineFor(db, await showroomTypeOf(db, input.showroom_id))).stages;
  if (!first) throw new ApiError("VALIDATION_FAILED", "This showroom's pipeline has no stages.");
  const id = newId();
  const now = Date.now();
  const orm = drizzle(db);
  // The number comes from the counter in the same batch that bumps it: concurrent creations get
  // consecutive numbers, and a failed one takes none.
  await orm.batch([
    insertSelect(
      orm,
      projects,
      {
        id,
        number: projectCounter.next,
        title: input.title,
        client: input.client,
        clientName: input.client.name,
        clientEmail: input.client.email?.toLowerCase() ?? null,
        showroomId: input.showroom_id,
        stage: first.key,
        status: "active",
        value: input.value,
        checklist: {},
        expectedCompletion: input.expected_completion,
        createdAt: now,
        updatedAt: now,
      },
      sql`FROM ${projectCounter} WHERE ${projectCounter.id} = 1`,
    ),
    orm
      .update(projectCounter)
      .set({ next: sql`${projectCounter.next} + 1` })
      .where(eq(projectCounter.id, 1)),
    ...assignmentQueries(orm, id, input.assignments),
    orm
      .insert(activities)
      .values(
        activityRow(
          id,
          { type: "status_change", data: { from: null, to: first.key, kind: "created" } },
          actor,
        ),
      ),
  ]);
  return id;
}

/**
 * Ticks or unticks checklist items, leaving the others as they are: merged by SQLite's json_patch
 * in the update itself, so a concurrent change to other items is not lost.
 */
export const checklistPatch = (checklist: Record<string, boolean>) =>
  sql`json_patch(${projects.checklist}, ${JSON.stringify(checklist)})`;

/** Changes the fields given (undefined ones stay; a null value or date clears it). */
export async function changeProject(
  db: D1Database,
  projectId: string,
  changes: z.output<typeof UpdateProjectRequestSchema>,
): Promise<void> {
  const orm = drizzle(db);
  await orm.batch([
    orm
      .update(projects)
      .set({
        title: changes.title,
        ...(changes.client
          ? {
              client: changes.client,
              clientName: changes.client.name,
              clientEmail: changes.client.email?.toLowerCase() ?? null,
            }
          : {}),
        status: changes.status,
        value: changes.value,
        checklist: checklistPatch(changes.checklist ?? {}),
        expectedCompletion: changes.expected_completion,
        updatedAt: Date.now(),
      })
      .where(eq(projects.id, projectId)),
    ...assignmentQueries(orm, projectId, changes.assignments ?? {}),
  ]);
}

/**
 * Moves the project to `target` and records the move, unless it changed stage since it was read:
 * of two concurrent moves, one wins and the other gets false.
 */
export async function recordMove(
  db: D1Database,
  project: ProjectRow,
  move: { target: PipelineStage; kind: MoveKind; reason: string | null },
  actor: Actor,
): Promise<boolean> {
  const orm = drizzle(db);
  const activity = activityRow(
    project.id,
    {
      type: "status_change",
      body: move.reason,
      data: { from: project.stage, to: move.target.key, kind: move.kind },
    },
    actor,
  );
  const [moved] = await orm.batch([
    orm
      .update(projects)
      .set({ stage: move.target.key, updatedAt: activity.createdAt })
      .where(and(eq(projects.id, project.id), eq(projects.stage, project.stage))),
    // Written only if the update above changed the row (changes() counts its rows, in the batch's
    // one transaction).
    insertSelect(orm, activities, activity, sql`WHERE changes() > 0`),
  ]);
  return moved.meta.changes > 0;
}
