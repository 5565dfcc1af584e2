// Every answer of the dashboard (pages, assets, the /api proxy) gets its security headers.
import { withSecurityHeaders } from "../server/security-headers.ts";

export const onRequest: PagesFunction = async ({ request, next }) =>
  withSecurityHeaders(request, await next());
