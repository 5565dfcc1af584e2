// Who may call /api/admin/*. Every route there is in the contract's catalogue with its rule
// (`operator`, or `company` with a permission); this middleware finds the request's entry and
// applies it before any handler runs. A path under /api/admin that no entry describes is open to
// operators only, so a handler mounted without a catalogue entry fails closed.
import { type CompanyPermissionRef, type RouteContract, routes } from "@nexus/contracts";
import { companies, installations } from "@nexus/db/central";
import { and, eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { authFor } from "../auth/auth.ts";
import { type AppEnv, getConfig } from "../env.ts";
import { ApiError, revalidate } from "../lib/errors.ts";
import { type ApiKeyRow, isApiKey, keyAllows, requestApiKey } from "../services/api-keys.ts";
import { assertCompanyUsable } from "../services/companies.ts";
import { verifyInstallationToken } from "../services/installation-tokens.ts";
import { allows, memberAccess } from "../services/member-access.ts";
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
  | { kind: "apiKey"; key: ApiKeyRow }
  | { kind: "installation"; companyId: string; installationId: string };

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

export async function authenticate(c: Context<AppEnv>): Promise<Principal> {
  const token = bearerToken(c);
  if (token) {
    if (await isAdminSecret(c, token)) {
      c.set("actor", { type: "operator", id: "admin-secret" });
      return { kind: "operator", id: "admin-secret" };
    }
    if (isApiKey(token)) return { kind: "apiKey", key: await requestApiKey(c, token, challenge) };
    if (looksLikeJwt(token)) {
      const claims = await verifyInstallationToken(getConfig(c.env).JWT_SIGNING_KEYS, token);
      c.set("actor", { type: "installation", id: claims.installationId });
      return { kind: "installation", companyId: claims.companyId, installationId: claims.installationId };
    }
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
  const access = await memberAccess(c, companyId, userId);
  if (!access) throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  assertCompanyUsable(access.company);
  if (!permission) throw new ApiError("FORBIDDEN", "Only platform operators may do this.");
  if (!allows(access, permission)) {
    throw new ApiError(
      "FORBIDDEN",
      `Your role (${access.roles.join(", ")}) in this company does not allow ${permission.resource}:${permission.action}.`,
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

/**
 * An installation (the desktop or mobile app) may call the company routes marked `installations`,
 * for its own company only, while it holds a seat.
 */
async function authorizeInstallation(
  c: Context<AppEnv>,
  principal: Extract<Principal, { kind: "installation" }>,
  route: RouteContract,
  companyId: string,
): Promise<void> {
  if (!route.installations) {
    throw new ApiError("UNAUTHORIZED", "The bearer credential is not valid here.", undefined, challenge);
  }
  if (principal.companyId !== companyId)
    throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  const [row] = await c
    .get("db")
    .select({ company: companies, active: installations.isActive })
    .from(installations)
    .innerJoin(companies, eq(companies.id, installations.companyId))
    .where(and(eq(installations.id, principal.installationId), eq(installations.companyId, companyId)))
    .limit(1);
  if (!row) throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  assertCompanyUsable(row.company);
  if (!row.active) {
    throw new ApiError(
      "INSTALLATION_DEACTIVATED",
      "This installation no longer holds a seat. Validate again to rejoin.",
      revalidate,
    );
  }
}

/** The path's company id, decoded; a malformed escape (`%zz`) names no company. */
function companyIdOf(params: Record<string, string>): string {
  try {
    return decodeURIComponent(params.companyId ?? "");
  } catch {
    throw new ApiError("COMPANY_NOT_FOUND", "The company id in the path is not a valid URL component.");
  }
}

export const adminAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  const entry = adminRouteOf(c.req.method, new URL(c.req.url).pathname);
  const principal = await authenticate(c);
  if (principal.kind !== "operator") {
    if (entry?.route.auth !== "company") {
      if (principal.kind === "installation") {
        throw new ApiError("UNAUTHORIZED", "The bearer credential is not valid here.", undefined, challenge);
      }
      throw new ApiError("FORBIDDEN", "Only platform operators may do this.");
    }
    const companyId = companyIdOf(entry.params);
    if (principal.kind === "user")
      await authorizeMember(c, principal.userId, companyId, entry.route.permission);
    else if (principal.kind === "installation")
      await authorizeInstallation(c, principal, entry.route, companyId);
    else await authorizeKey(c, principal.key, companyId, entry.route.permission);
  } else if (entry?.route.auth === "company") {
    // Operators reach every company, but only companies that exist: a handler never writes rows
    // for a made-up company id (its foreign keys would refuse them with a 500).
    const companyId = companyIdOf(entry.params);
    const [company] = await c
      .get("db")
      .select({ id: companies.id })
      .from(companies)
      .where(eq(companies.id, companyId))
      .limit(1);
    if (!company) throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  }
  await next();
};
