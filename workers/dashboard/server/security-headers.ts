// The dashboard's browser hardening, added to every answer of its Pages project by the Functions
// middleware (functions/_middleware.ts): the SPA's pages and assets, and the /api proxy's answers
// (which keep whatever the API set itself). A `_headers` file would cover static assets only and
// could not name the page's own host for WebSocket connections; the middleware covers both.

/**
 * The policy the built SPA runs under: its own scripts, stylesheets and fonts only (Vite emits no
 * inline script or style; React sets `style` props through the CSSOM, which CSP does not govern),
 * logos as data: or https images, and requests and the live WebSocket to its own origin (through
 * the /api proxy). Nothing may frame it.
 */
export function dashboardContentSecurityPolicy(pageUrl: URL): string {
  // 'self' covers ws(s) of the same host in current browsers; named too for older engines.
  const socketOrigin = `${pageUrl.protocol === "https:" ? "wss:" : "ws:"}//${pageUrl.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src 'self' ${socketOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function dashboardSecurityHeaders(pageUrl: URL): Record<string, string> {
  return {
    "Content-Security-Policy": dashboardContentSecurityPolicy(pageUrl),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    // Not no-referrer: under it the browser sends `Origin: null` on the page's own API writes, which
    // the API's CSRF check and better-auth would have to take on Fetch Metadata alone.
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
}

/** `response` with the headers it does not set itself. WebSocket upgrades pass untouched. */
export function withSecurityHeaders(request: Request, response: Response): Response {
  if (response.status === 101) return response;
  // Responses from the asset server and service bindings have immutable headers: copy.
  const hardened = new Response(response.body, response);
  for (const [name, value] of Object.entries(dashboardSecurityHeaders(new URL(request.url)))) {
    if (!hardened.headers.has(name)) hardened.headers.set(name, value);
  }
  return hardened;
}
