// Who may call /api/admin/*. Every route there is in the contract's catalogue with its rule
// (`operator`, or `company` with a permission); this middleware finds the request's entry and
// applies it before any handler runs. A path under /api/admin that no entry describes is open to
// operators only, so a handler mounted without a catalogue entry fails closed.
import { type CompanyPermissionRef, type RouteContract, routes } from "@nexus/contracts";
import { member } from "@nexus/db/auth";
import { companies } from "@nexus/db/central";
import { and, eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { authFor } from "../auth/auth.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { type ApiKeyRow, isApiKey, keyAllows, requestApiKey } from "../services/api-keys.ts";
import { assertCompanyUsable } from "../services/companies.ts";
import { bearerToken, isAdminSecret } from "./auth.ts";

const challenge = { "WWW-Authenticate": 'Bearer realm="nexus-central"' };

interface AdminRoute {
  route: RouteContract;
  method: string;
  pattern: RegExp;
}

const adminRoutes: AdminRoute[] = (Object.values(routes) as RouteContract[])
  .filter((route) => route.auth === "operator" || route.auth === "company")
  .map((route) => ({
    route,
    method: route.method.toUpperCase(),
    pattern: new RegExp(`^${route.path.replace(/\{(\w+)\}/g, "(?<$1>[^/]+)")}$`),
  }));

/** The catalogue entry (and path parameters) of a request under /api/admin, if any. */
export function adminRouteOf(
  method: string,
  path: string,
): { route: RouteContract; params: Record<string, string> } | null {
  const wanted = method === "HEAD" ? "GET" : method;
  for (const entry of adminRoutes) {
    if (entry.method !== wanted) continue;
    const match = entry.pattern.exec(path);
    if (match) return { route: entry.route, params: { ...match.groups } };
  }
  return null;
}

type Principal =
  | { kind: "operator"; id: string }
  | { kind: "user"; userId: string; role: string | null }
  | { kind: "apiKey"; key: ApiKeyRow };

export async function authenticate(c: Context<AppEnv>): Promise<Principal> {
  const token = bearerToken(c);
  if (token) {
    if (await isAdminSecret(c, token)) {
      c.set("actor", { type: "operator", id: "admin-secret" });
      return { kind: "operator", id: "admin-secret" };
    }
    if (isApiKey(token)) return { kind: "apiKey", key: await requestApiKey(c, token, challenge) };
    throw new ApiError("UNAUTHORIZED", "The bearer credential is not valid here.", undefined, challenge);
  }
  const session = await authFor(c.env).api.getSession({ headers: c.req.raw.headers });
  if (!session) {
    throw new ApiError(
      "UNAUTHORIZED",
      "Sign in (POST /api/auth/sign-in/email) or send `Authorization: Bearer <operator credential>`.",
      undefined,
      challenge,
    );
  }
  const role = (session.user as { role?: string | null }).role ?? null;
  if (role === "admin") {
    c.set("actor", { type: "operator", id: session.user.id });
    return { kind: "operator", id: session.user.id };
  }
  c.set("actor", { type: "user", id: session.user.id });
  return { kind: "user", userId: session.user.id, role };
}

/**
 * A dashboard user acting in a company: a member of it (else the company does not exist for them:
 * 404), the company usable (403), and their role allowing the route's permission (403).
 */
export async function authorizeMember(
  c: Context<AppEnv>,
  userId: string,
  companyId: string,
  permission: CompanyPermissionRef | undefined,
): Promise<void> {
  const db = c.get("db");
  const [row] = await db
    .select({ role: member.role, company: companies })
    .from(member)
    .innerJoin(companies, eq(companies.id, member.organizationId))
    .where(and(eq(member.organizationId, companyId), eq(member.userId, userId)))
    .limit(1);
  if (!row) throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  assertCompanyUsable(row.company);
  if (!permission) throw new ApiError("FORBIDDEN", "Only platform operators may do this.");
  const allowed = await authFor(c.env).api.hasPermission({
    headers: c.req.raw.headers,
    body: { organizationId: companyId, permissions: { [permission.resource]: [permission.action] } },
  });
  if (!allowed.success) {
    throw new ApiError(
      "FORBIDDEN",
      `Your role (${row.role}) in this company does not allow ${permission.resource}:${permission.action}.`,
      { permission: `${permission.resource}:${permission.action}` },
    );
  }
}

/** An API key acts on its own company only (others do not exist for it), within its permissions. */
async function authorizeKey(
  c: Context<AppEnv>,
  key: ApiKeyRow,
  companyId: string,
  permission: CompanyPermissionRef | undefined,
): Promise<void> {
  if (key.companyId !== companyId)
    throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  const [company] = await c.get("db").select().from(companies).where(eq(companies.id, companyId)).limit(1);
  if (!company) throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  assertCompanyUsable(company);
  if (!permission || !keyAllows(key, permission.resource, permission.action)) {
    throw new ApiError(
      "FORBIDDEN",
      permission
        ? `This API key does not allow ${permission.resource}:${permission.action}.`
        : "Only platform operators may do this.",
    );
  }
}

export const adminAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  const entry = adminRouteOf(c.req.method, new URL(c.req.url).pathname);
  const principal = await authenticate(c);
  if (principal.kind !== "operator") {
    if (entry?.route.auth !== "company") {
      throw new ApiError("FORBIDDEN", "Only platform operators may do this.");
    }
    const companyId = decodeURIComponent(entry.params.companyId ?? "");
    if (principal.kind === "user")
      await authorizeMember(c, principal.userId, companyId, entry.route.permission);
    else await authorizeKey(c, principal.key, companyId, entry.route.permission);
  }
  await next();
};
