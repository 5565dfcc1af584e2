// What a signed-in user may do in a company, worked out once per request from their membership.
// The built-in roles' permissions come from the contracts (the table better-auth's access control
// is built from, in auth/options.ts); a custom role's from better-auth's organization_role table.
// Asking better-auth's hasPermission instead looked the session, the member and the roles up again
// for every check: up to three times per request.
import {
  COMPANY_ROLES,
  type CompanyPermissionRef,
  type CompanyRole,
  companyRolePermissions,
} from "@nexus/contracts";
import { member, organizationRole } from "@nexus/db/auth";
import { companies } from "@nexus/db/central";
import { and, eq, inArray } from "drizzle-orm";
import type { Context } from "hono";
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
    access = loadMemberAccess(c.get("db"), companyId, userId);
    known.set(key, access);
  }
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
  const roles = row.role
    .split(",")
    .map((role) => role.trim())
    .filter(Boolean);
  const permissions = new Map<string, Set<string>>();
  const grant = (granted: Record<string, readonly string[] | undefined>) => {
    for (const [resource, actions] of Object.entries(granted)) {
      const held = permissions.get(resource) ?? new Set<string>();
      for (const action of actions ?? []) held.add(action);
      permissions.set(resource, held);
    }
  };
  for (const role of roles) if (isBuiltIn(role)) grant(companyRolePermissions[role]);
  const custom = roles.filter((role) => !isBuiltIn(role));
  if (custom.length > 0) {
    const rows = await db
      .select({ permission: organizationRole.permission })
      .from(organizationRole)
      .where(and(eq(organizationRole.organizationId, companyId), inArray(organizationRole.role, custom)));
    for (const { permission } of rows) grant(customPermissions(permission));
  }
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
