// A project's stage or status changed: the company's live sockets hear of it (`project.status`),
// those that may read every project and the users assigned to it now (installers' phones included).
import type { SyncMutation } from "@nexus/contracts";
import { projectAssignments, projects } from "@nexus/db/tenant";
import { eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { sendToAudience } from "../hub.ts";

/** The users assigned to a project now (any role). */
export async function assignedUsers(db: D1Database, projectId: string): Promise<string[]> {
  const rows = await drizzle(db)
    .selectDistinct({ userId: projectAssignments.userId })
    .from(projectAssignments)
    .where(eq(projectAssignments.projectId, projectId));
  return rows.map((row) => row.userId);
}

/**
 * Tells the live sockets; the audience is decided here, at send time, so an assignment made just
 * before counts. Never fails the change it reports (sendToAudience logs an unreachable hub).
 */
export async function publishProjectStatus(
  env: Env,
  db: D1Database,
  companyId: string,
  project: { id: string; stage: string; status: string },
): Promise<void> {
  const users = await assignedUsers(db, project.id);
  await sendToAudience(
    env,
    companyId,
    { projectReaders: true, users },
    {
      type: "project.status",
      project_id: project.id,
      stage: project.stage,
      status: project.status,
      at: new Date().toISOString(),
    },
  );
}

/**
 * The jobs whose stage or status a sync push changed (mutations applied now, not rejected): each is
 * published as it stands after the push.
 */
export async function publishSyncedStatuses(
  env: Env,
  db: D1Database,
  companyId: string,
  mutations: readonly SyncMutation[],
  applied: { after: number; upTo: number; rejected: ReadonlySet<number> },
): Promise<void> {
  const jobIds = new Set<string>();
  for (const mutation of mutations) {
    if (mutation.name !== "job.setStage" && mutation.name !== "job.setStatus") continue;
    if (mutation.id <= applied.after || mutation.id > applied.upTo || applied.rejected.has(mutation.id))
      continue;
    if (typeof mutation.args.job_id === "string") jobIds.add(mutation.args.job_id);
  }
  if (jobIds.size === 0) return;
  const rows = await drizzle(db)
    .select({ id: projects.id, stage: projects.stage, status: projects.status })
    .from(projects)
    .where(inArray(projects.id, [...jobIds]));
  for (const row of rows) await publishProjectStatus(env, db, companyId, row);
}
