// Pull: what changed since the device's cursor, in server order, limited to what the user may see.
// A first sync (no cursor, or after a reset) pages through a snapshot taken at one change-log version,
// then continues from that version, so rows changed meanwhile arrive again and the device converges.
import type { SyncChange } from "@nexus/contracts";
import { activities, documents, projectAssignments, projects, syncChanges } from "@nexus/db/tenant";
import { base64Url, fromBase64Url } from "@nexus/security";
import { and, asc, eq, gt, inArray, isNull, max, min, ne, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { QueryBuilder } from "drizzle-orm/sqlite-core";
import { ApiError } from "../../lib/errors.ts";
import type { ProjectScope } from "../crm/caller.ts";
import { inScope, projectViews, toActivityView } from "../crm/projects.ts";
import { toDocumentView } from "../documents/library.ts";

type Entity = "job" | "activity" | "document";
const SNAPSHOT_ORDER: Entity[] = ["job", "activity", "document"];

/** Where a device is: in a snapshot (at change-log version `at`, after `after` of `entity`), or past `v`. */
type Cursor = { v: number } | { at: number; entity: Entity; after: string };

export function encodeCursor(cursor: Cursor): string {
  return base64Url(new TextEncoder().encode(JSON.stringify(cursor)));
}

export function decodeCursor(text: string): Cursor {
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64Url(text))) as Record<string, unknown>;
    if (typeof value.v === "number" && Number.isInteger(value.v) && value.v >= 0) return { v: value.v };
    if (
      typeof value.at === "number" &&
      typeof value.after === "string" &&
      SNAPSHOT_ORDER.includes(value.entity as Entity)
    ) {
      return { at: value.at, entity: value.entity as Entity, after: value.after };
    }
  } catch {
    // falls through
  }
  throw new ApiError(
    "VALIDATION_FAILED",
    "The sync cursor is not one this server issued; pull with cursor null.",
  );
}

/** Current rows of `entity` with these ids, as `put` changes (a missing one becomes a delete). */
async function puts(db: D1Database, entity: Entity, ids: string[]): Promise<SyncChange[]> {
  if (ids.length === 0) return [];
  const orm = drizzle(db);
  const found = new Map<string, SyncChange>();
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    if (entity === "job") {
      const rows = await orm.select().from(projects).where(inArray(projects.id, chunk));
      for (const view of await projectViews(db, rows)) {
        found.set(view.id, { op: "put", entity, id: view.id, data: view });
      }
    } else if (entity === "activity") {
      for (const row of await orm.select().from(activities).where(inArray(activities.id, chunk))) {
        found.set(row.id, { op: "put", entity, id: row.id, data: toActivityView(row) });
      }
    } else {
      const rows = await orm
        .select()
        .from(documents)
        .where(and(inArray(documents.id, chunk), isNull(documents.deletedAt)));
      for (const row of rows) found.set(row.id, { op: "put", entity, id: row.id, data: toDocumentView(row) });
    }
  }
  return ids.map((id) => found.get(id) ?? { op: "delete", entity, id });
}

/** Ids of a job's children, for entering or leaving a user's view. */
async function childrenOf(
  db: D1Database,
  projectId: string,
): Promise<{ activity: string[]; document: string[] }> {
  const orm = drizzle(db);
  const acts = await orm
    .select({ id: activities.id })
    .from(activities)
    .where(eq(activities.projectId, projectId));
  const docs = await orm
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.projectId, projectId), isNull(documents.deletedAt)));
  return { activity: acts.map((a) => a.id), document: docs.map((d) => d.id) };
}

/** Rows whose job the scope includes. */
function jobInScope(column: typeof activities.projectId | typeof documents.projectId, scope: ProjectScope) {
  return inArray(column, new QueryBuilder().select({ id: projects.id }).from(projects).where(inScope(scope)));
}

/** One page of a snapshot: jobs, then their activities, then their documents, each by id. */
async function snapshotPage(
  db: D1Database,
  scope: ProjectScope,
  cursor: { at: number; entity: Entity; after: string },
  limit: number,
) {
  const orm = drizzle(db);
  const rows =
    cursor.entity === "job"
      ? await orm
          .select({ id: projects.id })
          .from(projects)
          .where(and(inScope(scope), gt(projects.id, cursor.after)))
          .orderBy(asc(projects.id))
          .limit(limit)
      : cursor.entity === "activity"
        ? await orm
            .select({ id: activities.id })
            .from(activities)
            .where(and(jobInScope(activities.projectId, scope), gt(activities.id, cursor.after)))
            .orderBy(asc(activities.id))
            .limit(limit)
        : await orm
            .select({ id: documents.id })
            .from(documents)
            .where(
              and(
                isNull(documents.deletedAt),
                jobInScope(documents.projectId, scope),
                gt(documents.id, cursor.after),
              ),
            )
            .orderBy(asc(documents.id))
            .limit(limit);
  const ids = rows.map((row) => row.id);
  const following = SNAPSHOT_ORDER[SNAPSHOT_ORDER.indexOf(cursor.entity) + 1];
  const next: Cursor =
    ids.length === limit
      ? { ...cursor, after: ids.at(-1) ?? cursor.after }
      : following
        ? { at: cursor.at, entity: following, after: "" }
        : { v: cursor.at };
  return { changes: await puts(db, cursor.entity, ids), next, hasMore: true };
}

async function stillAssigned(db: D1Database, projectId: string, userId: string): Promise<boolean> {
  const [row] = await drizzle(db)
    .select({ role: projectAssignments.role })
    .from(projectAssignments)
    .where(and(eq(projectAssignments.projectId, projectId), eq(projectAssignments.userId, userId)))
    .limit(1);
  return row !== undefined;
}

/** The changes a scope sees: all but scope events, or its jobs' changes and its own scope events. */
function visibleChanges(scope: ProjectScope) {
  if (scope.all) return ne(syncChanges.entity, "scope");
  const assigned = new QueryBuilder()
    .select({ projectId: projectAssignments.projectId })
    .from(projectAssignments)
    .where(eq(projectAssignments.userId, scope.userId));
  return or(
    and(ne(syncChanges.entity, "scope"), inArray(syncChanges.projectId, assigned)),
    and(eq(syncChanges.entity, "scope"), eq(syncChanges.userId, scope.userId)),
  );
}

async function incrementalPage(db: D1Database, scope: ProjectScope, since: number, limit: number) {
  const results = await drizzle(db)
    .select({
      version: syncChanges.version,
      entity: syncChanges.entity,
      entityId: syncChanges.entityId,
      projectId: syncChanges.projectId,
      op: syncChanges.op,
    })
    .from(syncChanges)
    .where(and(gt(syncChanges.version, since), visibleChanges(scope)))
    .orderBy(asc(syncChanges.version))
    .limit(limit + 1);
  const page = results.slice(0, limit);
  const latest = new Map<string, { entity: Entity; id: string; deleted: boolean }>();
  const touch = (entity: Entity, id: string, deleted: boolean) => {
    latest.delete(`${entity}:${id}`); // keep server order: re-insert at the end
    latest.set(`${entity}:${id}`, { entity, id, deleted });
  };
  for (const row of page) {
    if (row.entity === "scope" && row.projectId && !scope.all) {
      const entering = row.op === "enter" && (await stillAssigned(db, row.projectId, scope.userId));
      const leaving = row.op === "leave" && !(await stillAssigned(db, row.projectId, scope.userId));
      if (!entering && !leaving) continue;
      const children = await childrenOf(db, row.projectId);
      touch("job", row.projectId, leaving);
      for (const id of children.activity) touch("activity", id, leaving);
      for (const id of children.document) touch("document", id, leaving);
      continue;
    }
    const entity = row.entity === "project" ? "job" : (row.entity as Entity);
    touch(entity, row.entityId, row.op === "delete");
  }
  const changes: SyncChange[] = [];
  for (const entity of SNAPSHOT_ORDER) {
    const items = [...latest.values()].filter((item) => item.entity === entity);
    changes.push(...items.filter((i) => i.deleted).map((i) => ({ op: "delete" as const, entity, id: i.id })));
    changes.push(
      ...(await puts(
        db,
        entity,
        items.filter((i) => !i.deleted).map((i) => i.id),
      )),
    );
  }
  const last = page.at(-1)?.version ?? since;
  return { changes, next: { v: last } as Cursor, hasMore: results.length > limit };
}

/** The oldest version still in the change log: a cursor before it has missed pruned changes. */
async function oldestVersion(db: D1Database): Promise<number | null> {
  const [row] = await drizzle(db)
    .select({ v: min(syncChanges.version) })
    .from(syncChanges);
  return row?.v ?? null;
}

export async function pullChanges(
  db: D1Database,
  scope: ProjectScope,
  cursorText: string | null,
  limit: number,
) {
  let cursor: Cursor | null = cursorText === null ? null : decodeCursor(cursorText);
  let reset = false;
  if (cursor && "v" in cursor && cursor.v > 0) {
    const oldest = await oldestVersion(db);
    if (oldest !== null && cursor.v < oldest - 1) {
      cursor = null;
      reset = true;
    }
  }
  if (cursor === null) {
    const [top] = await drizzle(db)
      .select({ v: max(syncChanges.version) })
      .from(syncChanges);
    cursor = { at: top?.v ?? 0, entity: "job", after: "" };
  }
  const page =
    "v" in cursor
      ? await incrementalPage(db, scope, cursor.v, limit)
      : await snapshotPage(db, scope, cursor, limit);
  return { reset, changes: page.changes, cursor: encodeCursor(page.next), hasMore: page.hasMore };
}
