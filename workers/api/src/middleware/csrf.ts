// Cross-site request forgery on the API's own origin. A browser attaches better-auth's session cookie
// to whatever a page asks it to send, so a request authenticated by that cookie proves only that the
// browser holds it, not that the dashboard made it. Such requests — writes, and the WebSocket upgrade
// of /api/live (browsers send no CORS preflight for either a form post or a socket) — are taken only
// from a page on a trusted origin: the API's own (PUBLIC_URL) or a dashboard's (DASHBOARD_ORIGINS).
// Bearer credentials (operator secret, API keys, installation tokens) are never attached by a browser
// on its own, so requests that carry one are left alone, as are requests without a session cookie.
//
// better-auth's own endpoints (/api/auth/*) are left to better-auth, which checks the same list
// (trustedOrigins) on every POST that carries a cookie, blocks cross-site sign-in with Fetch Metadata
// and takes application/json bodies only (csrf.test.ts tries all of it).
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { authFor } from "../auth/auth.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { bearerToken } from "./auth.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const isWebSocketUpgrade = (c: Context<AppEnv>) => c.req.header("upgrade")?.toLowerCase() === "websocket";

/** The better-auth context: its session cookie's name and its list of trusted origins. */
const authContext = (c: Context<AppEnv>) => authFor(c.env).$context;

/**
 * Null when the request may use its session cookie, otherwise why not. The Origin header decides when
 * there is one. Without one: every browser sends Origin on a cross-origin POST, PUT, PATCH or DELETE
 * and on every WebSocket handshake, so a write without it comes from a same-origin page of an older
 * browser or from a program. `Sec-Fetch-Site: same-origin` vouches for the former; anything else is
 * refused, the safe default: a program can name the origin (the sync client does) or use a bearer
 * credential, while a browser that dropped the header (a privacy extension, an old engine) must not
 * turn into a way around the check.
 */
async function originProblem(c: Context<AppEnv>): Promise<string | null> {
  const origin = c.req.header("origin");
  // A page whose referrer policy is no-referrer sends `Origin: null` on its own same-origin writes;
  // Fetch Metadata, which no page can set, still tells those apart from an opaque foreign origin.
  if ((origin === undefined || origin === "null") && c.req.header("sec-fetch-site") === "same-origin") {
    return null;
  }
  if (origin === undefined) {
    return "This request is authenticated by a session cookie but has no Origin header. Browsers send one; other clients should send `Authorization: Bearer <credential>` instead of a cookie (or an Origin naming this API).";
  }
  const context = await authContext(c);
  if (origin !== "null" && context.isTrustedOrigin(origin, { allowRelativePaths: false })) return null;
  return `This request is authenticated by a session cookie but comes from a page on ${origin}, which is neither this API's origin nor a dashboard origin (DASHBOARD_ORIGINS). Sign in on the dashboard, or call the API with \`Authorization: Bearer <credential>\`.`;
}

async function hasSessionCookie(c: Context<AppEnv>): Promise<boolean> {
  if (!c.req.header("cookie")) return false;
  const { authCookies } = await authContext(c);
  return getCookie(c, authCookies.sessionToken.name) !== undefined;
}

export const csrfProtection: MiddlewareHandler<AppEnv> = async (c, next) => {
  const upgrade = isWebSocketUpgrade(c);
  if (SAFE_METHODS.has(c.req.method) && !upgrade) return next();
  if (new URL(c.req.url).pathname.startsWith("/api/auth/")) return next();
  // A bearer credential is what authenticates the request then (access.ts reads it before any cookie).
  if (bearerToken(c) !== undefined) return next();
  if (!(await hasSessionCookie(c))) return next();

  const problem = await originProblem(c);
  if (problem) throw new ApiError("FORBIDDEN", problem, { origin: c.req.header("origin") ?? null });
  // A cross-site form can post text/plain without a preflight; the dashboard always sends JSON as
  // application/json. (The desktop app's text/plain posts authenticate with tokens, not cookies.)
  const type = c.req.header("content-type");
  if (!upgrade && type && /^text\/plain\s*(;|$)/i.test(type)) {
    throw new ApiError(
      "UNSUPPORTED_MEDIA_TYPE",
      "A request authenticated by a session cookie must send its body as Content-Type: application/json, not text/plain.",
    );
  }
  await next();
};
