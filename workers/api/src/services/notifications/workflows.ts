// A company's workflows: the built-ins (contracts' BUILT_IN_WORKFLOWS, present without a row) with
// the company's overrides (a row with the same key), and its own workflows.
import {
  BUILT_IN_WORKFLOWS,
  builtInWorkflow,
  type CreateNotificationWorkflowRequest,
  type NotificationChannel,
  type NotificationWorkflow,
  type UpdateNotificationWorkflowRequest,
} from "@nexus/contracts";
import { notificationTemplates, notificationWorkflows } from "@nexus/db/tenant";
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../../lib/errors.ts";

type WorkflowRow = typeof notificationWorkflows.$inferSelect;

export interface ResolvedWorkflow {
  key: string;
  name: string;
  category: string;
  critical: boolean;
  channels: NotificationChannel[];
  digestMinutes: number | null;
  builtIn: boolean;
  overridden: boolean;
  createdAt: number | null;
  updatedAt: number | null;
}

function resolve(key: string, row: WorkflowRow | undefined): ResolvedWorkflow | null {
  const builtIn = builtInWorkflow(key);
  if (row) {
    return {
      key,
      name: row.name,
      category: row.category,
      critical: row.critical,
      // Stored as JSON text; the contract's enum was checked when it was written.
      channels: row.channels as NotificationChannel[],
      digestMinutes: row.digestMinutes,
      builtIn: builtIn !== undefined,
      overridden: builtIn !== undefined,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
  if (!builtIn) return null;
  return {
    key,
    name: builtIn.name,
    category: builtIn.category,
    critical: builtIn.critical,
    channels: [...builtIn.channels],
    digestMinutes: builtIn.digest_minutes,
    builtIn: true,
    overridden: false,
    createdAt: null,
    updatedAt: null,
  };
}

const notFound = (key: string) =>
  new ApiError(
    "NOTIFICATION_WORKFLOW_NOT_FOUND",
    `There is no notification workflow "${key}" in this company.`,
  );

export async function findWorkflow(db: D1Database, key: string): Promise<ResolvedWorkflow | null> {
  const [row] = await drizzle(db)
    .select()
    .from(notificationWorkflows)
    .where(eq(notificationWorkflows.key, key));
  return resolve(key, row);
}

export async function requireWorkflow(db: D1Database, key: string): Promise<ResolvedWorkflow> {
  const workflow = await findWorkflow(db, key);
  if (!workflow) throw notFound(key);
  return workflow;
}

/** Every built-in (with overrides) first, in the platform's order, then the company's own by key. */
export async function listWorkflows(db: D1Database): Promise<ResolvedWorkflow[]> {
  const rows = await drizzle(db).select().from(notificationWorkflows).orderBy(notificationWorkflows.key);
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const builtIns = BUILT_IN_WORKFLOWS.map((builtIn) => resolve(builtIn.key, byKey.get(builtIn.key)));
  const own = rows.filter((row) => !builtInWorkflow(row.key)).map((row) => resolve(row.key, row));
  return [...builtIns, ...own].filter((workflow): workflow is ResolvedWorkflow => workflow !== null);
}

export async function createWorkflow(
  db: D1Database,
  input: Required<CreateNotificationWorkflowRequest>,
): Promise<ResolvedWorkflow> {
  if (builtInWorkflow(input.key)) {
    throw new ApiError(
      "NOTIFICATION_WORKFLOW_BUILT_IN",
      `"${input.key}" is a built-in workflow; change it with PATCH …/workflows/${input.key} instead.`,
    );
  }
  const [row] = await drizzle(db)
    .insert(notificationWorkflows)
    .values({
      key: input.key,
      name: input.name,
      category: input.category,
      critical: input.critical,
      channels: input.channels,
      digestMinutes: input.digest_minutes,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    throw new ApiError(
      "NOTIFICATION_WORKFLOW_EXISTS",
      `A workflow "${input.key}" already exists; change it with PATCH or choose another key.`,
    );
  }
  return resolve(row.key, row) ?? notFoundAfterWrite(input.key);
}

function notFoundAfterWrite(key: string): never {
  throw notFound(key);
}

/** Changes a workflow; the first change of a built-in stores the company's override of it. */
export async function updateWorkflow(
  db: D1Database,
  key: string,
  patch: UpdateNotificationWorkflowRequest,
): Promise<ResolvedWorkflow> {
  const current = await requireWorkflow(db, key);
  const next = {
    name: patch.name ?? current.name,
    category: patch.category ?? current.category,
    critical: patch.critical ?? current.critical,
    channels: patch.channels ?? current.channels,
    digestMinutes: patch.digest_minutes === undefined ? current.digestMinutes : patch.digest_minutes,
    updatedAt: Date.now(),
  };
  const [row] = await drizzle(db)
    .insert(notificationWorkflows)
    .values({ key, ...next })
    .onConflictDoUpdate({ target: notificationWorkflows.key, set: next })
    .returning();
  return resolve(key, row) ?? notFoundAfterWrite(key);
}

/** Deletes a company workflow and its templates; the messages it sent stay in the history. */
export async function deleteWorkflow(db: D1Database, key: string): Promise<{ deletedTemplates: number }> {
  if (builtInWorkflow(key)) {
    throw new ApiError(
      "NOTIFICATION_WORKFLOW_BUILT_IN",
      `"${key}" is a built-in workflow and cannot be deleted; PATCH it to change its channels or category.`,
    );
  }
  const orm = drizzle(db);
  const [deleted, templates] = await orm.batch([
    orm
      .delete(notificationWorkflows)
      .where(eq(notificationWorkflows.key, key))
      .returning({ key: notificationWorkflows.key }),
    orm
      .delete(notificationTemplates)
      .where(eq(notificationTemplates.workflowKey, key))
      .returning({ id: notificationTemplates.id }),
  ]);
  if (deleted.length === 0) throw notFound(key);
  return { deletedTemplates: templates.length };
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const toWorkflowView = (workflow: ResolvedWorkflow): NotificationWorkflow => ({
  key: workflow.key,
  name: workflow.name,
  category: workflow.category,
  critical: workflow.critical,
  channels: workflow.channels,
  digest_minutes: workflow.digestMinutes,
  built_in: workflow.builtIn,
  overridden: workflow.overridden,
  created_at: iso(workflow.createdAt),
  updated_at: iso(workflow.updatedAt),
});
