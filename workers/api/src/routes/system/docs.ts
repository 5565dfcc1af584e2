import { buildOpenApiDocument } from "@nexus/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";

// Scalar renders the document in the browser; without internet access the page links the raw JSON.
// Its script comes from a CDN, pinned to one version and checked by Subresource Integrity: the hash
// is the sha384 of dist/browser/standalone.js in the npm package @scalar/api-reference@1.76.4, the
// file jsDelivr serves unchanged. To upgrade: `npm pack @scalar/api-reference@<version>`, then
// `openssl dgst -sha384 -binary package/dist/browser/standalone.js | openssl base64 -A`.
export const SCALAR_SCRIPT = {
  src: "https://cdn.jsdelivr.net/npm/@scalar/api-reference@1.76.4/dist/browser/standalone.js",
  integrity: "sha384-hwB9WroDTpZaI38gr+u9CXA6ksz5gUYgD2GxXazKl/agT1L2GWUiRFWGJYNiFu4Q",
};

// The page runs that one script and nothing else. The empty configuration element counts as an
// inline script (its hash is that of ""). Scalar injects its stylesheet and sets styles at run time,
// hence 'unsafe-inline' for styles only; its fonts come from fonts.scalar.com; "try it" requests and
// the document itself go to this origin.
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${SCALAR_SCRIPT.src} 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='`,
  "style-src 'unsafe-inline'",
  "font-src https://fonts.scalar.com",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const docsPage = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Nexus Central API</title><meta name="viewport" content="width=device-width, initial-scale=1" /></head>
  <body>
    <noscript>The API reference needs JavaScript. The raw document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
    <script id="api-reference" data-url="/openapi.json"></script>
    <script src="${SCALAR_SCRIPT.src}" integrity="${SCALAR_SCRIPT.integrity}" crossorigin="anonymous"></script>
  </body>
</html>`;

let document: Record<string, unknown> | undefined;

export const docsRoutes = new Hono<AppEnv>()
  .get("/openapi.json", (c) => {
    document ??= buildOpenApiDocument();
    return c.json({ ...document, servers: [{ url: new URL(c.req.url).origin }] });
  })
  .get("/docs", (c) => {
    c.header("Content-Security-Policy", DOCS_CONTENT_SECURITY_POLICY);
    return c.html(docsPage);
  });
