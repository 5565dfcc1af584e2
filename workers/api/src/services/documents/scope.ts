// Installers (members without projects:read) see the documents of their own jobs only, as they see
// only those jobs. Installations (the company's desktop apps) have no user and so no role: they see
// the company library (documents attached to no project) and no project's documents. Everyone else
// sees every document.
import { documents, projectAssignments } from "@nexus/db/tenant";
import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import type { Principal } from "../../middleware/caller.ts";
import { projectScope } from "../crm/caller.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { documentOrm } from "./library.ts";

/** The user whose jobs bound what the caller sees, or null when the caller sees every document. */
export async function documentScopeUser(
  c: Context<AppEnv>,
  caller: Principal,
  companyId: string,
): Promise<string | null> {
  // Only users have roles: operators and API keys (within their permission) see every document,
  // installations are bounded by libraryOnly instead.
  if (caller.kind !== "user") return null;
  const scope = await projectScope(c, companyId);
  return scope.all ? null : scope.userId;
}

/** Whether the caller is an installation, which reaches only documents attached to no project. */
export function libraryOnly(caller: Principal): boolean {
  return caller.kind === "installation";
}

/** Refuses a document (or a job to attach one to) outside the user's jobs, as if it did not exist. */
export async function requireAssignedJob(
  db: D1Database,
  userId: string,
  projectId: string | null,
  notFound: ApiError,
): Promise<void> {
  if (!projectId) throw notFound;
  const [assigned] = await documentOrm(db)
    .select({ projectId: projectAssignments.projectId })
    .from(projectAssignments)
    .where(and(eq(projectAssignments.projectId, projectId), eq(projectAssignments.userId, userId)))
    .limit(1);
  if (!assigned) throw notFound;
}

/**
 * The company's tenant database, once the caller is known to reach `documentId`: a restricted user
 * only their jobs' documents, an installation only the library's (a project's document does not
 * exist for it). Every route on one document opens its database through this.
 */
export async function documentDatabase(
  c: Context<AppEnv>,
  caller: Principal,
  { companyId, documentId }: { companyId: string; documentId: string },
): Promise<D1Database> {
  const db = await tenantDatabase(c.env, companyId);
  const userId = await documentScopeUser(c, caller, companyId);
  if (userId || libraryOnly(caller)) {
    const [row] = await documentOrm(db)
      .select({ projectId: documents.projectId })
      .from(documents)
      .where(eq(documents.id, documentId))
      .limit(1);
    const notFound = new ApiError("DOCUMENT_NOT_FOUND", `This company has no document ${documentId}.`);
    if (userId) await requireAssignedJob(db, userId, row?.projectId ?? null, notFound);
    else if (row?.projectId) throw notFound;
  }
  return db;
}

/** Installations add to the company library only: a project's documents are its members' to add. */
function projectNotForInstallations(): ApiError {
  return new ApiError(
    "PROJECT_NOT_FOUND",
    "Installations reach the company library only: leave out project_id. A project's documents are added by a signed-in member assigned to it.",
  );
}

/**
 * Putting a document into a project (declaring it there, or moving it) is writing to that project:
 * an installation never may, a restricted user only into one of their jobs. `projectId` undefined
 * names no project (a declaration without one); null is the library, which a restricted user cannot
 * write to either.
 */
export async function requireProjectWritable(
  c: Context<AppEnv>,
  caller: Principal,
  db: D1Database,
  target: { companyId: string; projectId: string | null | undefined; notAssigned: string },
): Promise<void> {
  if (libraryOnly(caller)) {
    if (target.projectId !== undefined) throw projectNotForInstallations();
    return;
  }
  const userId = await documentScopeUser(c, caller, target.companyId);
  if (userId) {
    const notAssigned = new ApiError("PROJECT_NOT_FOUND", target.notAssigned);
    await requireAssignedJob(db, userId, target.projectId ?? null, notAssigned);
  }
}

/** The list filters that keep a caller to the documents it reaches. */
export async function documentScopeFilters(
  c: Context<AppEnv>,
  caller: Principal,
  db: D1Database,
  companyId: string,
): Promise<(SQL | undefined)[]> {
  const userId = await documentScopeUser(c, caller, companyId);
  const assigned = userId
    ? inArray(
        documents.projectId,
        documentOrm(db)
          .select({ projectId: projectAssignments.projectId })
          .from(projectAssignments)
          .where(eq(projectAssignments.userId, userId)),
      )
    : undefined;
  return [assigned, libraryOnly(caller) ? isNull(documents.projectId) : undefined];
}
