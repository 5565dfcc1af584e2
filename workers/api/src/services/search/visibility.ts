// Which index entries a caller may see: each result still needs its own resource's read permission
// (search:read, checked by the route, only opens the door). Types the caller cannot read are left
// out silently rather than refused, so one search box serves every role.
import { type CompanyPermissionRef, SEARCH_ENTITY_TYPES, type SearchEntityType } from "@nexus/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import type { Principal } from "../../middleware/caller.ts";
import { keyAllows } from "../api-keys.ts";
import { allows, memberAccess } from "../member-access.ts";

/** The entry types bound to a project, which an installer sees for their assigned projects only. */
export const PROJECT_BOUND_TYPES = ["project", "client", "activity", "document"] as const;

export interface SearchVisibility {
  /** The types the caller may read. */
  types: SearchEntityType[];
  /** Project-bound entries only of the projects assigned to this user (an installer's scope). */
  assignedTo: string | null;
  /** Only entries attached to no project (an installation reaches the company library only). */
  libraryOnly: boolean;
}

const RESOURCE_OF: Record<SearchEntityType, CompanyPermissionRef> = {
  project: { resource: "projects", action: "read" },
  client: { resource: "projects", action: "read" },
  activity: { resource: "projects", action: "read" },
  document: { resource: "documents", action: "read" },
  machine: { resource: "machines", action: "read" },
  member: { resource: "members", action: "read" },
  showroom: { resource: "showrooms", action: "read" },
};

const everything: SearchVisibility = {
  types: [...SEARCH_ENTITY_TYPES],
  assignedTo: null,
  libraryOnly: false,
};
const nothing: SearchVisibility = { types: [], assignedTo: null, libraryOnly: false };

export async function searchVisibility(
  c: Context<AppEnv>,
  caller: Principal,
  companyId: string,
): Promise<SearchVisibility> {
  if (caller.kind === "operator") return everything;
  // Installations have no user and no role: like the documents routes, the library only.
  if (caller.kind === "installation") return { types: ["document"], assignedTo: null, libraryOnly: true };
  if (caller.kind === "apiKey") {
    // An API key has no assignments, so projects:read_assigned gives it nothing to read.
    const can = (ref: CompanyPermissionRef) => keyAllows(caller.key, ref.resource, ref.action);
    return {
      types: SEARCH_ENTITY_TYPES.filter((type) => can(RESOURCE_OF[type])),
      assignedTo: null,
      libraryOnly: false,
    };
  }
  const access = await memberAccess(c, companyId, caller.userId);
  if (!access) return nothing;
  const can = (ref: CompanyPermissionRef) => allows(access, ref);
  const allProjects = can({ resource: "projects", action: "read" });
  const assignedProjects = can({ resource: "projects", action: "read_assigned" });
  const types = SEARCH_ENTITY_TYPES.filter((type) => {
    if (type === "document") return can(RESOURCE_OF.document);
    if (type === "project" || type === "client" || type === "activity")
      return allProjects || assignedProjects;
    return can(RESOURCE_OF[type]);
  });
  // Without projects:read a user's documents are those of their jobs (services/documents/scope.ts).
  return { types, assignedTo: allProjects ? null : caller.userId, libraryOnly: false };
}
