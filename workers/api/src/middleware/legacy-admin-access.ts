// TRANSITION ONLY: routes not yet mounted with lib/operation.ts are guarded here, by finding their
// catalogue entry from the path. Operations mounted with operation() carry their own guard and are
// skipped. Removed once every route is an operation.
import { type RouteContract, routes } from "@nexus/contracts";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { mountedContracts } from "../lib/operation.ts";
import {
  assertCompanyExists,
  authenticate,
  authorizeInstallation,
  authorizeKey,
  authorizeMember,
  challenge,
} from "./authenticate.ts";

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
  if (entry && mountedContracts.has(entry.route)) return next();
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
    else if (principal.kind === "installation") {
      if (!entry.route.installations)
        throw new ApiError("UNAUTHORIZED", "The bearer credential is not valid here.", undefined, challenge);
      await authorizeInstallation(c, principal, companyId);
    } else await authorizeKey(c, principal.key, companyId, entry.route.permission);
  } else if (entry?.route.auth === "company") {
    await assertCompanyExists(c, companyIdOf(entry.params));
  }
  await next();
};
