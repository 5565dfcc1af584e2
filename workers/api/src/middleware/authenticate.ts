// Who holds the request's credential, and whether they may act in a company. The access middleware
// (access.ts) combines these per auth scheme; nothing else reads a credential.
import type { CompanyPermissionRef } from "@nexus/contracts";
import { companies, installations } from "@nexus/db/central";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { authFor } from "../auth/auth.ts";
import {
  credentialKey,
  forgetIdentities,
  IdentityCache,
  identityGeneration,
  mayUseCachedIdentity,
} from "../auth/identity-cache.ts";
import { type AppEnv, getConfig } from "../env.ts";
import { ApiError, revalidate } from "../lib/errors.ts";
import { type ApiKeyRow, isApiKey, keyAllows, requestApiKey } from "../services/api-keys.ts";
import { assertCompanyUsable } from "../services/companies.ts";
import { verifyInstallationToken } from "../services/installation-tokens.ts";
import { allows, memberAccess } from "../services/member-access.ts";
import { bearerToken, isAdminSecret } from "./auth.ts";
import type { InstallationCaller, OperatorCaller, Principal, UserCaller } from "./caller.ts";

export const challenge = { "WWW-Authenticate": 'Bearer realm="nexus-central"' };

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);

/** An installation token's caller; sets the audit actor. */
export async function installationCaller(c: Context<AppEnv>, token: string): Promise<InstallationCaller> {
  const claims = await verifyInstallationToken(getConfig(c.env).JWT_SIGNING_KEYS, token);
  c.set("actor", { type: "installation", id: claims.installationId });
  return {
    kind: "installation",
    companyId: claims.companyId,
    installationId: claims.installationId,
    expiresAt: claims.expiresAt,
  };
}

/**
 * The bearer credential (operator secret, API key, installation token) or the session cookie
 * (operator or dashboard user); UNAUTHORIZED when there is none or it is not valid.
 */
export async function authenticate(c: Context<AppEnv>): Promise<Principal> {
  const token = bearerToken(c);
  if (token) {
    if (await isAdminSecret(c, token)) {
      c.set("actor", { type: "operator", id: "admin-secret" });
      forgetIfOperatorWrite(c);
      return { kind: "operator", id: "admin-secret" };
    }
    if (isApiKey(token)) return { kind: "apiKey", key: await requestApiKey(c, token, challenge) };
    if (looksLikeJwt(token)) return installationCaller(c, token);
    throw new ApiError("UNAUTHORIZED", "The bearer credential is not valid here.", undefined, challenge);
  }
  const principal = await sessionPrincipal(c);
  if (!principal) {
    throw new ApiError(
      "UNAUTHORIZED",
      "Sign in (POST /api/auth/sign-in/email) or send `Authorization: Bearer <operator credential>`.",
      undefined,
      challenge,
    );
  }
  if (principal.kind === "operator") {
    c.set("actor", { type: "operator", id: principal.id });
    forgetIfOperatorWrite(c);
  } else c.set("actor", { type: "user", id: principal.userId });
  return { ...principal };
}

/**
 * An operator's write may suspend, resume or expire a company (which a remembered membership
 * carries), or change who is an operator: this isolate forgets what it remembered first. Operators
 * write rarely; a read racing the write is remembered for IDENTITY_CACHE_MS at most.
 */
function forgetIfOperatorWrite(c: Context<AppEnv>): void {
  if (!mayUseCachedIdentity(c.req.raw)) forgetIdentities();
}

/** Sessions by the SHA-256 of the cookie header that carried them (auth/identity-cache.ts). */
const sessions = new IdentityCache<OperatorCaller | UserCaller>();

/** The session cookie's user: an operator (better-auth's admin role) or a dashboard user. */
async function sessionPrincipal(c: Context<AppEnv>): Promise<OperatorCaller | UserCaller | null> {
  const cookie = c.req.header("cookie");
  if (!cookie) return null;
  const key = mayUseCachedIdentity(c.req.raw) ? await credentialKey(cookie) : undefined;
  const known = key === undefined ? undefined : sessions.get(key);
  if (known) return known;
  const readAt = identityGeneration();
  const session = await authFor(c.env).api.getSession({ headers: c.req.raw.headers });
  if (!session) return null;
  const role = (session.user as { role?: string | null }).role ?? null;
  const principal: OperatorCaller | UserCaller =
    role === "admin"
      ? { kind: "operator", id: session.user.id }
      : { kind: "user", userId: session.user.id, role };
  // Never past the session's own expiry.
  if (key !== undefined) sessions.set(key, principal, readAt, session.session.expiresAt.getTime());
  return principal;
}

const noSuchCompany = (companyId: string) =>
  new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);

/** Operators reach every company, but only companies that exist (a made-up id is a 404, not a 500). */
export async function assertCompanyExists(c: Context<AppEnv>, companyId: string): Promise<void> {
  const [company] = await c
    .get("db")
    .select({ id: companies.id })
    .from(companies)
    .where(eq(companies.id, companyId))
    .limit(1);
  if (!company) throw noSuchCompany(companyId);
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
  if (!access) throw noSuchCompany(companyId);
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
export async function authorizeKey(
  c: Context<AppEnv>,
  key: ApiKeyRow,
  companyId: string,
  permission: CompanyPermissionRef | undefined,
): Promise<void> {
  if (key.companyId !== companyId) throw noSuchCompany(companyId);
  const [company] = await c.get("db").select().from(companies).where(eq(companies.id, companyId)).limit(1);
  if (!company) throw noSuchCompany(companyId);
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

/** An installation acting in its own company, while it holds a seat. */
export async function authorizeInstallation(
  c: Context<AppEnv>,
  caller: InstallationCaller,
  companyId: string,
): Promise<void> {
  if (caller.companyId !== companyId) throw noSuchCompany(companyId);
  const [row] = await c
    .get("db")
    .select({ company: companies, active: installations.isActive })
    .from(installations)
    .innerJoin(companies, eq(companies.id, installations.companyId))
    .where(and(eq(installations.id, caller.installationId), eq(installations.companyId, companyId)))
    .limit(1);
  if (!row) throw noSuchCompany(companyId);
  assertCompanyUsable(row.company);
  if (!row.active) {
    throw new ApiError(
      "INSTALLATION_DEACTIVATED",
      "This installation no longer holds a seat. Validate again to rejoin.",
      revalidate,
    );
  }
}
