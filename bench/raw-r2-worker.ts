// The floor the artifact-range route is compared with: a worker in the bench's Miniflare, bound to
// the API's artifacts bucket (same bucket name, so the same local store the seed uploaded into),
// that answers `GET /__raw-r2/<key>` with the request's single `Range: bytes=a-b` straight from
// `BUCKET.get(key, { range })`: no token, no D1, no hub, no range bookkeeping. bench/build.ts
// bundles it; Miniflare routes the prefix to it and everything else to the API. Its only export is
// the handler: workerd takes every named export of a worker's module for an entrypoint.

import { RAW_R2_PREFIX, singleRange } from "./raw-r2-range.ts";

interface Env {
  BUCKET: R2Bucket;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (request.method !== "GET" || !url.pathname.startsWith(RAW_R2_PREFIX)) {
      return new Response("GET /__raw-r2/<key> only", { status: 404 });
    }
    const range = singleRange(request.headers.get("range"));
    if (!range) return new Response("one Range: bytes=a-b is required", { status: 416 });
    const key = decodeURIComponent(url.pathname.slice(RAW_R2_PREFIX.length));
    const object = await env.BUCKET.get(key, { range });
    if (!object) return new Response(`no object ${key}`, { status: 404 });
    const end = Math.min(range.offset + range.length, object.size) - 1;
    return new Response(object.body, {
      status: 206,
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Range": `bytes ${range.offset}-${end}/${object.size}`,
        "Content-Length": String(end - range.offset + 1),
      },
    });
  },
} satisfies ExportedHandler<Env>;
