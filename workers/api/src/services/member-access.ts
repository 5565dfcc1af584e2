// What a signed-in user may do in a company, worked out once per request from their membership.
// The built-in roles' permissions come from the contracts (the table better-auth's access control
// is built from, in @nexus/db/auth-options); a custom role's from better-auth's organization_role table.
// Asking better-auth's hasPermission instead looked the session, the member and the roles up again
// for every check: up to three times per request. Reads reuse an answer for seconds
// (auth/identity-cache.ts); writes and role decisions always read D1.
import {
  COMPANY_ROLES,
  type CompanyPermissionRef,
  type CompanyRole,
  companyPermissions,
  companyRolePermissions,
} from "@nexus/contracts";
import { member, organizationRole } from "@nexus/db/auth";
import { companyRoles } from "@nexus/db/auth-options";
import { apiKeys, companies } from "@nexus/db/central";
import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "hono";
import { IdentityCache, identityGeneration, mayUseCachedIdentity } from "../auth/identity-cache.ts";
import type { AppEnv, CentralDb } from "../env.ts";

export interface MemberAccess {
  /** Their roles in the company (a member may hold several, comma-separated by better-auth). */
  roles: string[];
  company: typeof companies.$inferSelect;
  /** Resource → actions, the union of their roles' permissions. */
  permissions: ReadonlyMap<string, ReadonlySet<string>>;
}

const perRequest = new WeakMap<Request, Map<string, Promise<MemberAccess | null>>>();

/** The user's membership of the company with what it allows, or null if they are not a member. */
export function memberAccess(
  c: Context<AppEnv>,
  companyId: string,
  userId: string,
): Promise<MemberAccess | null> {
  let known = perRequest.get(c.req.raw);
  if (!known) {
    known = new Map();
    perRequest.set(c.req.raw, known);
  }
  const key = `${companyId}\n${userId}`;
  let access = known.get(key);
  if (!access) {
    access = mayUseCachedIdentity(c.req.raw)
      ? rememberedMemberAccess(c.get("db"), key, companyId, userId)
      : loadMemberAccess(c.get("db"), companyId, userId);
    known.set(key, access);
  }
  return access;
}

/** Memberships by company and user id, for reads only (auth/identity-cache.ts says when they go). */
const memberships = new IdentityCache<MemberAccess>();

async function rememberedMemberAccess(
  db: CentralDb,
  key: string,
  companyId: string,
  userId: string,
): Promise<MemberAccess | null> {
  const known = memberships.get(key);
  if (known) return known;
  const readAt = identityGeneration();
  const access = await loadMemberAccess(db, companyId, userId);
  // Not being a member is not remembered: an accepted invitation counts on the next request.
  if (access) memberships.set(key, access, readAt);
  return access;
}

export const allows = (access: MemberAccess, permission: CompanyPermissionRef): boolean =>
  access.permissions.get(permission.resource)?.has(permission.action) ?? false;

/** Whether the member holds every action of `permissions` (e.g. to hand them to an API key). */
export const allowsAll = (access: MemberAccess, permissions: Record<string, readonly string[]>): boolean =>
  Object.entries(permissions).every(([resource, actions]) =>
    actions.every((action) => access.permissions.get(resource)?.has(action) ?? false),
  );

const isBuiltIn = (role: string): role is CompanyRole => (COMPANY_ROLES as readonly string[]).includes(role);

async function loadMemberAccess(
  db: CentralDb,
  companyId: string,
  userId: string,
): Promise<MemberAccess | null> {
  const [row] = await db
    .select({ role: member.role, company: companies })
    .from(member)
    .innerJoin(companies, eq(companies.id, member.organizationId))
    .where(and(eq(member.organizationId, companyId), eq(member.userId, userId)))
    .limit(1);
  if (!row) return null;
  const roles = splitRoles(row.role);
  const permissions = await permissionsOf(db, companyId, roles, (role) => companyRolePermissions[role]);
  return { roles, company: row.company, permissions };
}

/** A custom role's stored permissions; anything unreadable grants nothing. */
function customPermissions(stored: string): Record<string, string[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return {};
  }
  if (typeof parsed !== "object" || parsed === null) return {};
  return Object.fromEntries(
    Object.entries(parsed).filter(
      (entry): entry is [string, string[]] =>
        Array.isArray(entry[1]) && entry[1].every((action) => typeof action === "string"),
    ),
  );
}

// Handing out roles. Nobody gives (or takes away, or changes) a role that can do more than their
// own: a role's permissions must all be theirs, compared on every resource, better-auth's own
// (member, invitation, organization, team, ac) included. Only owners make or unmake owners.
// Operators may do anything. An API key acts within its own permissions on our resources and is
// never an owner.

type PermissionSet = Map<string, Set<string>>;

const splitRoles = (roles: string) =>
  roles
    .split(",")
    .map((role) => role.trim())
    .filter(Boolean);

/**
 * Every permission of some roles: the built-in ones from `builtIn` (our resources only, or with
 * better-auth's own), custom ones from the company's `organization_role` rows.
 */
async function permissionsOf(
  db: CentralDb,
  companyId: string,
  roles: string[],
  builtIn: (role: CompanyRole) => Record<string, readonly string[] | undefined>,
): Promise<PermissionSet> {
  const permissions: PermissionSet = new Map();
  const grant = (granted: Record<string, readonly string[] | undefined>) => {
    for (const [resource, actions] of Object.entries(granted)) {
      const held = permissions.get(resource) ?? new Set<string>();
      for (const action of actions ?? []) held.add(action);
      permissions.set(resource, held);
    }
  };
  for (const role of roles) if (isBuiltIn(role)) grant(builtIn(role));
  const custom = roles.filter((role) => !isBuiltIn(role));
  if (custom.length > 0) {
    const rows = await db
      .select({ permission: organizationRole.permission })
      .from(organizationRole)
      .where(and(eq(organizationRole.organizationId, companyId), inArray(organizationRole.role, custom)));
    for (const { permission } of rows) grant(customPermissions(permission));
  }
  return permissions;
}

/** Every permission of roles, better-auth's own resources included (for handing roles out). */
const permissionsOfRoles = (db: CentralDb, companyId: string, roles: string[]) =>
  permissionsOf(db, companyId, roles, (role) => companyRoles[role].statements);

interface Granter {
  owner: boolean;
  permissions: PermissionSet;
  /** Only these resources are compared (an API key's permissions cover ours only). */
  resources: ReadonlySet<string> | null;
}

async function granterOf(c: Context<AppEnv>, companyId: string): Promise<Granter | "operator" | null> {
  const actor = c.get("actor");
  const db = c.get("db");
  if (actor.type === "operator") return "operator";
  if (actor.type === "user" && actor.id) {
    const access = await memberAccess(c, companyId, actor.id);
    if (!access) return null;
    return {
      owner: access.roles.includes("owner"),
      permissions: await permissionsOfRoles(db, companyId, access.roles),
      resources: null,
    };
  }
  if (actor.type === "api_key" && actor.id) {
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, actor.id)).limit(1);
    if (!key || key.companyId !== companyId) return null;
    const permissions: PermissionSet = new Map(
      Object.entries(key.permissions).map(([resource, actions]) => [resource, new Set(actions)]),
    );
    return { owner: false, permissions, resources: new Set(Object.keys(companyPermissions)) };
  }
  return null;
}

/**
 * Why the request's actor may not give, take away or change `roles` (a member's role string) in the
 * company, or null when they may.
 */
export async function roleChangeRefusal(
  c: Context<AppEnv>,
  companyId: string,
  roles: string,
): Promise<string | null> {
  const granter = await granterOf(c, companyId);
  if (granter === "operator") return null;
  if (!granter) return "Only the company's members and platform operators may manage its members.";
  const wanted = splitRoles(roles);
  if (wanted.includes("owner") && !granter.owner) {
    return "Only an owner can make someone an owner, or change or remove an owner.";
  }
  const permissions = await permissionsOfRoles(c.get("db"), companyId, wanted);
  const missing: string[] = [];
  for (const [resource, actions] of permissions) {
    if (granter.resources && !granter.resources.has(resource)) continue;
    for (const action of actions) {
      if (!granter.permissions.get(resource)?.has(action)) missing.push(`${resource}:${action}`);
    }
  }
  if (missing.length === 0) return null;
  return `The role "${roles}" can do more than yours (${missing.join(", ")}): only someone whose role has all of its permissions can give it, take it away or change it.`;
}
