// Browser hardening on every API response. JSON, files and redirects load nothing and are never
// meant to be framed, so they get a policy that allows nothing; a response that needs more (the /docs
// page, a stored document's sandbox) sets its own Content-Security-Policy, which is kept.
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../env.ts";

export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // No MIME sniffing: a JSON answer that echoes input can never be read as HTML or script.
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Content-Security-Policy":
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  // Not no-referrer: under it a browser sends `Origin: null` on same-origin writes, which the CSRF
  // check (and better-auth's) could then only accept through Fetch Metadata.
  "Referrer-Policy": "strict-origin-when-cross-origin",
};

const HEADER_ENTRIES = Object.entries(API_SECURITY_HEADERS);

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  // A WebSocket upgrade (101) comes from a Durable Object with immutable headers.
  if (c.res.status === 101) return;
  for (const [name, value] of HEADER_ENTRIES) {
    if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  }
};
