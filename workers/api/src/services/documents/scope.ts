// Installers (members without projects:read) see the documents of their own jobs only, as they see
// only those jobs. Installations (the company's desktop apps) have no user and so no role: they see
// the company library (documents attached to no project) and no project's documents. Everyone else
// sees every document.
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import type { ApiError } from "../../lib/errors.ts";
import { callerCan } from "../crm/caller.ts";

/** The user whose jobs bound what the caller sees, or null when the caller sees every document. */
export async function documentScopeUser(c: Context<AppEnv>, companyId: string): Promise<string | null> {
  const actor = c.get("actor");
  if (actor.type !== "user" || !actor.id) return null;
  return (await callerCan(c, companyId, { resource: "projects", action: "read" })) ? null : actor.id;
}

/** Whether the caller is an installation, which reaches only documents attached to no project. */
export function libraryOnly(c: Context<AppEnv>): boolean {
  return c.get("actor").type === "installation";
}

/** Refuses a document (or a job to attach one to) outside the user's jobs, as if it did not exist. */
export async function requireAssignedJob(
  db: D1Database,
  userId: string,
  projectId: string | null,
  notFound: ApiError,
): Promise<void> {
  if (!projectId) throw notFound;
  const assigned = await db
    .prepare("SELECT 1 FROM project_assignments WHERE project_id = ? AND user_id = ? LIMIT 1")
    .bind(projectId, userId)
    .first();
  if (!assigned) throw notFound;
}
