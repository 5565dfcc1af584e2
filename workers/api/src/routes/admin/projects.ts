// Projects, their pipeline and their history, in the company's tenant database. A project moves one
// stage forward when the next stage's requirements are met; skipping or going back takes
// projects:override and a reason. Every move is an activity with its actor and time.
import { type AssignmentRole, projectReference, routes } from "@nexus/contracts";
import { activities, projects } from "@nexus/db/tenant";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, pageOf, validParams, validQuery } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { callerCan, projectScope } from "../../services/crm/caller.ts";
import { requireMembers } from "../../services/crm/members.ts";
import { pipelineFor, replacePipeline } from "../../services/crm/pipeline.ts";
import {
  inScope,
  loadProject,
  projectViews,
  requirementStatus,
  toActivityView,
} from "../../services/crm/projects.ts";
import { planMove, showroomTypeOf, unmetError } from "../../services/crm/stages.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const {
  getPipeline,
  putPipeline,
  listProjects,
  createProject,
  getProject,
  getProjectRequirements,
  updateProject,
  moveProject,
  listActivities,
  createActivity,
} = routes;

/** Statements replacing some of a project's assignments (null removes one). */
function assignmentStatements(
  db: D1Database,
  projectId: string,
  changes: Partial<Record<AssignmentRole, string | null>>,
) {
  return Object.entries(changes).map(([role, userId]) =>
    userId === null
      ? db.prepare("DELETE FROM project_assignments WHERE project_id = ? AND role = ?").bind(projectId, role)
      : db
          .prepare(
            `INSERT INTO project_assignments (project_id, role, user_id) VALUES (?, ?, ?)
             ON CONFLICT (project_id, role) DO UPDATE SET user_id = excluded.user_id`,
          )
          .bind(projectId, role, userId),
  );
}

const assignedUsers = (changes: Partial<Record<AssignmentRole, string | null>>) =>
  Object.values(changes).filter((id): id is string => typeof id === "string");

function activityStatement(
  db: D1Database,
  c: Context<AppEnv>,
  projectId: string,
  activity: { type: string; body?: string | null; data?: Record<string, unknown>; occurredAt?: number },
  options: { ifPreviousChanged?: boolean } = {},
) {
  const actor = c.get("actor");
  const now = Date.now();
  const id = newId(now);
  const statement = db
    .prepare(
      `INSERT INTO activities (id, project_id, type, body, data, actor_type, actor_id, occurred_at, created_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${options.ifPreviousChanged ? "changes() > 0" : "1"}`,
    )
    .bind(
      id,
      projectId,
      activity.type,
      activity.body ?? null,
      JSON.stringify(activity.data ?? {}),
      actor.type,
      actor.id,
      activity.occurredAt ?? now,
      now,
    );
  return { id, statement };
}

export const projectAdminRoutes = new Hono<AppEnv>()
  .get(
    honoPath(getPipeline.path),
    validParams(getPipeline.params),
    validQuery(getPipeline.query),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { showroom_type } = c.req.valid("query");
      const db = await tenantDatabase(c.env, companyId);
      const pipeline = await pipelineFor(db, showroom_type ?? null);
      return c.json({
        success: true as const,
        showroom_type: pipeline.showroomType,
        stages: pipeline.stages,
      });
    },
  )
  .put(
    honoPath(putPipeline.path),
    validParams(putPipeline.params),
    validQuery(putPipeline.query),
    jsonBody(putPipeline.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { showroom_type } = c.req.valid("query");
      const { stages } = c.req.valid("json");
      const db = await tenantDatabase(c.env, companyId);
      // Projects may not be left in a stage that no longer exists.
      const keys = JSON.stringify(stages.map((stage) => stage.key));
      const stranded = await db
        .prepare(
          `SELECT p.stage, count(*) AS n FROM projects p JOIN showrooms s ON s.id = p.showroom_id
           WHERE (?1 IS NULL OR s.type = ?1) AND p.stage NOT IN (SELECT value FROM json_each(?2))
             AND (?1 IS NOT NULL OR NOT EXISTS (SELECT 1 FROM pipeline_stages t WHERE t.showroom_type = s.type))
           GROUP BY p.stage`,
        )
        .bind(showroom_type ?? null, keys)
        .all<{ stage: string; n: number }>();
      if (stranded.results.length > 0) {
        throw new ApiError(
          "PIPELINE_STAGE_IN_USE",
          `Projects are still in stages this pipeline drops: ${stranded.results.map((r) => `${r.stage} (${r.n})`).join(", ")}. Move them first.`,
          { stages_in_use: stranded.results },
        );
      }
      await replacePipeline(db, showroom_type ?? null, stages);
      await auditStatement(c, {
        companyId,
        action: "pipeline.changed",
        targetType: "pipeline",
        targetId: showroom_type ?? "default",
        details: { stages: stages.map((stage) => stage.key) },
      });
      const pipeline = await pipelineFor(db, showroom_type ?? null);
      return c.json({
        success: true as const,
        showroom_type: pipeline.showroomType,
        stages: pipeline.stages,
      });
    },
  )
  .get(
    honoPath(listProjects.path),
    validParams(listProjects.params),
    validQuery(listProjects.query),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const query = c.req.valid("query");
      const scope = await projectScope(c, companyId);
      const db = await tenantDatabase(c.env, companyId);
      const assignee = query.assignee === "me" ? (c.get("actor").id ?? "") : query.assignee;
      const number = query.q ? /^p-?0*(\d{1,9})$/i.exec(query.q)?.[1] : undefined;
      const text = query.q ? `%${query.q.toLowerCase().replace(/[%_\\]/g, "\\$&")}%` : undefined;
      const rows = await drizzle(db)
        .select()
        .from(projects)
        .where(
          and(
            inScope(scope),
            query.stage ? eq(projects.stage, query.stage) : undefined,
            query.showroom_id ? eq(projects.showroomId, query.showroom_id) : undefined,
            query.status ? eq(projects.status, query.status) : undefined,
            assignee
              ? sql`EXISTS (SELECT 1 FROM project_assignments a WHERE a.project_id = ${projects.id} AND a.user_id = ${assignee})`
              : undefined,
            text
              ? or(
                  sql`lower(${projects.title}) LIKE ${text} ESCAPE '\\'`,
                  sql`lower(${projects.clientName}) LIKE ${text} ESCAPE '\\'`,
                  sql`lower(${projects.clientEmail}) LIKE ${text} ESCAPE '\\'`,
                  number ? eq(projects.number, Number(number)) : undefined,
                )
              : undefined,
            query.cursor ? lt(projects.id, query.cursor) : undefined,
          ),
        )
        .orderBy(desc(projects.id))
        .limit(query.limit + 1);
      const page = pageOf(rows, query.limit);
      return c.json({
        success: true as const,
        projects: await projectViews(db, page.items),
        next_cursor: page.nextCursor,
      });
    },
  )
  .post(
    honoPath(createProject.path),
    validParams(createProject.params),
    jsonBody(createProject.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const input = c.req.valid("json");
      await requireMembers(c.get("db"), companyId, assignedUsers(input.assignments));
      const db = await tenantDatabase(c.env, companyId);
      const [first] = (await pipelineFor(db, await showroomTypeOf(db, input.showroom_id))).stages;
      if (!first) throw new ApiError("VALIDATION_FAILED", "This showroom's pipeline has no stages.");
      const id = newId();
      const now = Date.now();
      // The number comes from the counter in the same batch that bumps it: concurrent creations get
      // consecutive numbers, and a failed one takes none.
      await db.batch([
        db
          .prepare(
            `INSERT INTO projects (id, number, title, client, client_name, client_email, showroom_id, stage, status, value,
             checklist, expected_completion, created_at, updated_at)
           SELECT ?, next, ?, ?, ?, ?, ?, ?, 'active', ?, '{}', ?, ?, ? FROM project_counter WHERE id = 1`,
          )
          .bind(
            id,
            input.title,
            JSON.stringify(input.client),
            input.client.name,
            input.client.email?.toLowerCase() ?? null,
            input.showroom_id,
            first.key,
            input.value,
            input.expected_completion,
            now,
            now,
          ),
        db.prepare("UPDATE project_counter SET next = next + 1 WHERE id = 1"),
        ...assignmentStatements(db, id, input.assignments),
        activityStatement(db, c, id, {
          type: "status_change",
          data: { from: null, to: first.key, kind: "created" },
        }).statement,
      ]);
      const { view } = await loadProject(db, id, { all: true });
      await auditStatement(c, {
        companyId,
        action: "project.created",
        targetType: "project",
        targetId: id,
        details: { reference: projectReference(view.number), title: view.title },
      });
      return c.json({ success: true as const, project: view }, 201);
    },
  )
  .get(honoPath(getProject.path), validParams(getProject.params), async (c) => {
    const { companyId, projectId } = c.req.valid("param");
    const db = await tenantDatabase(c.env, companyId);
    const { view } = await loadProject(db, projectId, await projectScope(c, companyId));
    return c.json({ success: true as const, project: view });
  })
  .get(honoPath(getProjectRequirements.path), validParams(getProjectRequirements.params), async (c) => {
    const { companyId, projectId } = c.req.valid("param");
    const db = await tenantDatabase(c.env, companyId);
    const { row, assignments } = await loadProject(db, projectId, await projectScope(c, companyId));
    const { stages } = await pipelineFor(db, await showroomTypeOf(db, row.showroomId));
    return c.json({
      success: true as const,
      project_id: row.id,
      stage: row.stage,
      stages: await requirementStatus(db, row, assignments, stages),
    });
  })
  .patch(
    honoPath(updateProject.path),
    validParams(updateProject.params),
    jsonBody(updateProject.body),
    async (c) => {
      const { companyId, projectId } = c.req.valid("param");
      const input = c.req.valid("json");
      const db = await tenantDatabase(c.env, companyId);
      const { row } = await loadProject(db, projectId, await projectScope(c, companyId));
      if (input.assignments) await requireMembers(c.get("db"), companyId, assignedUsers(input.assignments));
      await db.batch([
        db
          .prepare(
            `UPDATE projects SET title = coalesce(?, title), client = coalesce(?, client), client_name = coalesce(?, client_name),
             client_email = CASE WHEN ? THEN ? ELSE client_email END, status = coalesce(?, status),
             value = CASE WHEN ? THEN ? ELSE value END, checklist = json_patch(checklist, ?),
             expected_completion = CASE WHEN ? THEN ? ELSE expected_completion END, updated_at = ?
           WHERE id = ?`,
          )
          .bind(
            input.title ?? null,
            input.client ? JSON.stringify(input.client) : null,
            input.client?.name ?? null,
            input.client ? 1 : 0,
            input.client?.email?.toLowerCase() ?? null,
            input.status ?? null,
            input.value !== undefined ? 1 : 0,
            input.value ?? null,
            JSON.stringify(input.checklist ?? {}),
            input.expected_completion !== undefined ? 1 : 0,
            input.expected_completion ?? null,
            Date.now(),
            row.id,
          ),
        ...assignmentStatements(db, row.id, input.assignments ?? {}),
      ]);
      await auditStatement(c, {
        companyId,
        action: "project.updated",
        targetType: "project",
        targetId: row.id,
        details: { changes: input },
      });
      const { view } = await loadProject(db, projectId, { all: true });
      return c.json({ success: true as const, project: view });
    },
  )
  .post(
    honoPath(moveProject.path),
    validParams(moveProject.params),
    jsonBody(moveProject.body),
    async (c) => {
      const { companyId, projectId } = c.req.valid("param");
      const { to_stage, reason } = c.req.valid("json");
      const db = await tenantDatabase(c.env, companyId);
      const { row, assignments } = await loadProject(db, projectId, await projectScope(c, companyId));
      const { target, kind, unmet } = await planMove(db, row, assignments, to_stage);
      if (kind === "advance") {
        if (unmet.length > 0) throw unmetError(target, unmet);
      } else {
        if (!(await callerCan(c, companyId, { resource: "projects", action: "override" }))) {
          throw new ApiError(
            "FORBIDDEN",
            `Moving a project ${kind === "skip" ? "past stages" : "back"} needs projects:override.`,
          );
        }
        if (!reason)
          throw new ApiError(
            "VALIDATION_FAILED",
            `Give a reason to move a project ${kind === "skip" ? "past stages" : "back"}.`,
          );
      }
      const now = Date.now();
      // Guarded by the stage it was read in: of two concurrent moves, one wins and one is refused.
      const [moved] = await db.batch([
        db
          .prepare("UPDATE projects SET stage = ?, updated_at = ? WHERE id = ? AND stage = ?")
          .bind(target.key, now, row.id, row.stage),
        activityStatement(
          db,
          c,
          row.id,
          { type: "status_change", body: reason ?? null, data: { from: row.stage, to: target.key, kind } },
          { ifPreviousChanged: true },
        ).statement,
      ]);
      if ((moved?.meta.changes ?? 0) === 0) {
        throw new ApiError(
          "PROJECT_NOT_FOUND",
          "The project changed stage meanwhile; reload it and try again.",
        );
      }
      await auditStatement(c, {
        companyId,
        action: "project.moved",
        targetType: "project",
        targetId: row.id,
        details: { from: row.stage, to: target.key, kind, reason: reason ?? null },
      });
      const { view } = await loadProject(db, projectId, { all: true });
      return c.json({ success: true as const, project: view });
    },
  )
  .get(
    honoPath(listActivities.path),
    validParams(listActivities.params),
    validQuery(listActivities.query),
    async (c) => {
      const { companyId, projectId } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const db = await tenantDatabase(c.env, companyId);
      await loadProject(db, projectId, await projectScope(c, companyId));
      const rows = await drizzle(db)
        .select()
        .from(activities)
        .where(and(eq(activities.projectId, projectId), cursor ? lt(activities.id, cursor) : undefined))
        .orderBy(desc(activities.id))
        .limit(limit + 1);
      const page = pageOf(rows, limit);
      return c.json({
        success: true as const,
        activities: page.items.map(toActivityView),
        next_cursor: page.nextCursor,
      });
    },
  )
  .post(
    honoPath(createActivity.path),
    validParams(createActivity.params),
    jsonBody(createActivity.body),
    async (c) => {
      const { companyId, projectId } = c.req.valid("param");
      const input = c.req.valid("json");
      const db = await tenantDatabase(c.env, companyId);
      await loadProject(db, projectId, await projectScope(c, companyId));
      const { id, statement } = activityStatement(db, c, projectId, {
        type: input.type,
        body: input.body ?? null,
        data: input.gps ? { gps: input.gps } : {},
        ...(input.occurred_at ? { occurredAt: Date.parse(input.occurred_at) } : {}),
      });
      await statement.run();
      const [row] = await drizzle(db).select().from(activities).where(eq(activities.id, id));
      if (!row) throw new Error("activity vanished after insert");
      return c.json({ success: true as const, activity: toActivityView(row) }, 201);
    },
  );
