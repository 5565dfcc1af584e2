import { buildOpenApiDocument, routes } from "@nexus/contracts";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { publicJwks } from "../../services/installation-tokens.ts";

// Scalar renders the document in the browser; without internet access the page links the raw JSON.
const docsPage = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Nexus Central API</title><meta name="viewport" content="width=device-width, initial-scale=1" /></head>
  <body>
    <noscript>The API reference needs JavaScript. The raw document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
    <script id="api-reference" data-url="/openapi.json"></script>
    <script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
  </body>
</html>`;

let document: Record<string, unknown> | undefined;

export const docsRoutes = new Hono<AppEnv>()
  .get("/openapi.json", (c) => {
    document ??= buildOpenApiDocument();
    return c.json({ ...document, servers: [{ url: new URL(c.req.url).origin }] });
  })
  .get("/docs", (c) => c.html(docsPage))
  .get(routes.jwks.path, async (c) => {
    c.header("Cache-Control", "public, max-age=300");
    return c.json(await publicJwks(getConfig(c.env).JWT_SIGNING_KEYS));
  });
