// What the caller of a company route may do beyond the route's own permission (the access
// middleware checked that one): e.g. whether a user reads every project or only their own.
import type { CompanyPermissionRef } from "@nexus/contracts";
import { apiKeys } from "@nexus/db/central";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { keyAllows } from "../api-keys.ts";
import { allows, memberAccess } from "../member-access.ts";

export async function callerCan(
  c: Context<AppEnv>,
  companyId: string,
  permission: CompanyPermissionRef,
): Promise<boolean> {
  const actor = c.get("actor");
  if (actor.type === "operator") return true;
  if (actor.type === "user" && actor.id) {
    const access = await memberAccess(c, companyId, actor.id);
    return access !== null && allows(access, permission);
  }
  if (actor.type === "api_key" && actor.id) {
    const [key] = await c.get("db").select().from(apiKeys).where(eq(apiKeys.id, actor.id)).limit(1);
    return (
      key !== undefined &&
      key.companyId === companyId &&
      keyAllows(key, permission.resource, permission.action)
    );
  }
  return false;
}

/** The user's roles in the company (built-in or custom; a member may hold several). */
export async function callerRoles(c: Context<AppEnv>, companyId: string): Promise<string[]> {
  const actor = c.get("actor");
  if (actor.type === "operator") return ["operator"];
  if (actor.type !== "user" || !actor.id) return [];
  return (await memberAccess(c, companyId, actor.id))?.roles ?? [];
}

/** Which projects the caller sees: all of them, or those a user is assigned to. */
export type ProjectScope = { all: true } | { all: false; userId: string };

export async function projectScope(c: Context<AppEnv>, companyId: string): Promise<ProjectScope> {
  if (await callerCan(c, companyId, { resource: "projects", action: "read" })) return { all: true };
  const actor = c.get("actor");
  // The route let the caller in with projects:read_assigned, which only users hold without read.
  return { all: false, userId: actor.id ?? "" };
}
