// Members' search entries. Members live in the central database (better-auth's member and user
// tables), out of reach of the tenant database's triggers, so code rewrites a company's member
// entries whenever its members change: here, from the member services and better-auth's hooks.

import { openTenantDatabase } from "@nexus/db";
import { member, user } from "@nexus/db/auth";
import { searchEntities } from "@nexus/db/tenant";
import { and, eq, notInArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";

/** A member's entry: name as title, email as body, roles as tags, the first role as facet. */
export function memberEntry(row: { id: string; role: string; name: string; email: string }) {
  const roles = row.role
    .split(",")
    .map((role) => role.trim())
    .filter((role) => role.length > 0);
  return {
    entityType: "member" as const,
    entityId: row.id,
    projectId: null,
    title: row.name,
    body: row.email,
    tags: roles.join(" "),
    facets: roles[0] === undefined ? {} : { role: roles[0] },
    updatedAt: Date.now(),
  };
}

// D1 binds at most 100 parameters per statement; an entry has 8 columns.
const ROWS_PER_INSERT = 12;

/**
 * Replaces the company's member entries in its tenant database with its members as the central
 * database has them now (in one batch: a search never sees the company without its members).
 */
export async function indexMembers(
  central: D1Database,
  tenantDb: D1Database,
  companyId: string,
): Promise<number> {
  const rows = await drizzle(central)
    .select({ id: member.id, role: member.role, name: user.name, email: user.email })
    .from(member)
    .innerJoin(user, eq(user.id, member.userId))
    .where(eq(member.organizationId, companyId));
  const entries = rows.map(memberEntry);
  const db = drizzle(tenantDb);
  const ids = entries.map((entry) => entry.entityId);
  const isMember = eq(searchEntities.entityType, "member");
  const stale = db
    .delete(searchEntities)
    .where(ids.length === 0 ? isMember : and(isMember, notInArray(searchEntities.entityId, ids)));
  const writes = [];
  for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
    const chunk = entries.slice(i, i + ROWS_PER_INSERT);
    writes.push(
      db
        .insert(searchEntities)
        .values(chunk)
        .onConflictDoUpdate({
          target: [searchEntities.entityType, searchEntities.entityId],
          set: {
            title: sqlExcluded("title"),
            body: sqlExcluded("body"),
            tags: sqlExcluded("tags"),
            facets: sqlExcluded("facets"),
            updatedAt: sqlExcluded("updated_at"),
          },
        }),
    );
  }
  await db.batch([stale, ...writes]);
  return entries.length;
}

const sqlExcluded = (column: string) => sql.raw(`excluded.${column}`);

/**
 * indexMembers for a change that has already happened: the change stands even if the index cannot
 * follow (a company whose data lives elsewhere has no index; an unreachable tenant database is
 * repaired by `nexus search rebuild`), so failures are logged, not thrown.
 */
export async function reindexMembers(env: Env, companyIds: Iterable<string>): Promise<void> {
  for (const companyId of new Set(companyIds)) {
    try {
      const tenantDb = await openTenantDatabase(env, env.CENTRAL_DB, companyId);
      await indexMembers(env.CENTRAL_DB, tenantDb, companyId);
    } catch (error) {
      console.warn(
        JSON.stringify({ level: "warn", event: "member_index_failed", companyId, error: String(error) }),
      );
    }
  }
}

/** better-auth endpoints that add, remove or change a member of one organization. */
const ORGANIZATION_PATHS = new Set([
  "/organization/accept-invitation",
  "/organization/add-member",
  "/organization/remove-member",
  "/organization/update-member-role",
  "/organization/leave",
  "/organization/create",
]);
/** Endpoints that change a user's name or email, shown in every company they belong to. */
const USER_PATHS = new Set(["/update-user", "/admin/update-user", "/verify-email", "/change-email"]);

const field = (value: unknown, name: string): string | undefined => {
  if (typeof value !== "object" || value === null) return undefined;
  const found = (value as Record<string, unknown>)[name];
  return typeof found === "string" ? found : undefined;
};
const record = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[name] : undefined;

/** What a better-auth after-hook knows about the request it ran for. */
export interface AuthChange {
  path: string;
  body: unknown;
  /** The endpoint's answer (an object, or an error). */
  returned: unknown;
  /** The signed-in user who made the request, if any. */
  userId: string | undefined;
}

/** After a better-auth endpoint: re-index the members of the companies the change touched. */
export async function reindexMembersAfterAuth(env: Env, change: AuthChange): Promise<void> {
  if (change.returned instanceof Error) return;
  if (ORGANIZATION_PATHS.has(change.path)) {
    const ids = [
      field(change.returned, "organizationId"),
      field(record(change.returned, "member"), "organizationId"),
      field(change.body, "organizationId"),
      change.path === "/organization/create" ? field(change.returned, "id") : undefined,
    ].filter((id): id is string => id !== undefined);
    await reindexMembers(env, ids);
    return;
  }
  if (!USER_PATHS.has(change.path)) return;
  const userId = field(change.body, "userId") ?? change.userId;
  if (userId === undefined) return;
  // The user's change stands whatever happens here (as in reindexMembers): a failed read is logged.
  const memberships = await drizzle(env.CENTRAL_DB)
    .select({ companyId: member.organizationId })
    .from(member)
    .where(eq(member.userId, userId))
    .catch((error: unknown) => {
      console.warn(
        JSON.stringify({ level: "warn", event: "member_index_failed", userId, error: String(error) }),
      );
      return [];
    });
  await reindexMembers(
    env,
    memberships.map((row) => row.companyId),
  );
}
