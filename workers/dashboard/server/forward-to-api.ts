// What the dashboard's Pages Function does with /api/*: hands the request, cookies and WebSocket
// upgrades included, to the API worker over the service binding. The browser only ever talks to the
// dashboard's own origin, so better-auth's session cookie is first-party and the API needs no CORS.
import type { ErrorEnvelope } from "@nexus/contracts";

/** The part of a service binding the proxy uses (a Fetcher in workerd; a stand-in in tests). */
export interface ApiService {
  fetch(request: Request): Promise<Response>;
}

/**
 * A request that names an origin must name this one. The session cookie authenticates whatever
 * reaches the API through this origin, WebSocket upgrades included (browsers send no CORS preflight
 * for those), so a page on another origin must not be able to use it. Requests without an Origin
 * (same-origin GETs, curl with a bearer token) pass: they carry no cross-site intent.
 */
export function forwardToApi(request: Request, api: ApiService): Promise<Response> | Response {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(request.url).origin) {
    const requestId = crypto.randomUUID();
    const body: ErrorEnvelope = {
      success: false,
      error: {
        code: "FORBIDDEN",
        message: "The dashboard's API proxy only serves pages of the dashboard itself.",
        request_id: requestId,
      },
    };
    return Response.json(body, { status: 403, headers: { "x-request-id": requestId } });
  }
  return api.fetch(request);
}
