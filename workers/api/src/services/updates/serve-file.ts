// Streams a stored file from R2 the way download clients expect: ETag / If-None-Match, HEAD, a
// single Range (206 + Content-Range), several ranges (206 multipart/byteranges), 416 for ranges past
// the end. Sizes and digests come from our metadata, so conditional and range answers need no R2
// metadata call. Release files use the defaults; documents pass their own type and disposition.
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { multipartLength, parseRange, planReads, writeMultipart } from "./ranges.ts";

export interface StoredFile {
  name: string;
  r2Key: string;
  size: number;
  /** Strong validator for the ETag: a release file's sha512, a document's sha256. */
  etag: string;
}

/** How a file is presented; release files use the defaults. */
export interface ServeOptions {
  bucket?: R2Bucket;
  contentType?: string;
  /** The whole Content-Disposition value. */
  disposition?: string;
  cacheControl?: string;
  /** More response headers (e.g. a Content-Security-Policy for user files). */
  headers?: Record<string, string>;
}

export type ServedAs = "not-modified" | "full" | "range" | "head";

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const trimmed = tag.trim();
    return trimmed === "*" || trimmed === etag || trimmed === `W/${etag}`;
  });
}

async function readObject(bucket: R2Bucket, file: StoredFile, range?: R2Range): Promise<R2ObjectBody> {
  const object = await bucket.get(file.r2Key, range ? { range } : {});
  if (!object) {
    console.error(JSON.stringify({ level: "error", event: "artifact_missing", key: file.r2Key }));
    throw new ApiError("FILE_NOT_FOUND", `${file.name} is listed but not stored. Operators have been told.`);
  }
  return object;
}

export async function serveFile(
  c: Context<AppEnv>,
  file: StoredFile,
  options: ServeOptions = {},
): Promise<{ response: Response; servedAs: ServedAs }> {
  const etag = `"${file.etag}"`;
  const CONTENT_TYPE = options.contentType ?? "application/octet-stream";
  const headers = new Headers({
    ...options.headers,
    ETag: etag,
    "Accept-Ranges": "bytes",
    // The bytes behind a name never change (a release cannot be republished with other bytes).
    "Cache-Control": options.cacheControl ?? "private, max-age=86400, immutable",
    "Content-Disposition": options.disposition ?? `attachment; filename="${file.name}"`,
  });
  if (etagMatches(c.req.header("if-none-match"), etag)) {
    return { response: new Response(null, { status: 304, headers }), servedAs: "not-modified" };
  }
  const ifRange = c.req.header("if-range");
  const rangeHeader = ifRange && ifRange.trim() !== etag ? undefined : c.req.header("range");
  const request = parseRange(rangeHeader, file.size);
  if (request.kind === "unsatisfiable") {
    throw new ApiError(
      "RANGE_NOT_SATISFIABLE",
      `${file.name} has ${file.size} bytes; no requested range starts inside it.`,
      { size: file.size },
      { "Content-Range": `bytes */${file.size}` },
    );
  }
  const isHead = c.req.method === "HEAD";
  const bucket = options.bucket ?? c.env.ARTIFACTS;

  if (request.kind === "ranges" && request.ranges.length === 1) {
    const [range] = request.ranges;
    if (range) {
      const length = range.end - range.start + 1;
      headers.set("Content-Type", CONTENT_TYPE);
      headers.set("Content-Range", `bytes ${range.start}-${range.end}/${file.size}`);
      headers.set("Content-Length", String(length));
      if (isHead) return { response: new Response(null, { status: 206, headers }), servedAs: "head" };
      const object = await readObject(bucket, file, { offset: range.start, length });
      return { response: new Response(object.body, { status: 206, headers }), servedAs: "range" };
    }
  }
  const plans = request.kind === "ranges" ? planReads(request.ranges, file.size) : null;
  if (request.kind === "ranges" && plans) {
    const layout = { boundary: `nexus-${crypto.randomUUID()}`, contentType: CONTENT_TYPE, size: file.size };
    const length = multipartLength(layout, request.ranges);
    headers.set("Content-Type", `multipart/byteranges; boundary=${layout.boundary}`);
    headers.set("Content-Length", String(length));
    if (isHead) return { response: new Response(null, { status: 206, headers }), servedAs: "head" };
    const { readable, writable } = new FixedLengthStream(length);
    const writer = writable.getWriter();
    const read = async (offset: number, bytes: number) =>
      (await readObject(bucket, file, { offset, length: bytes })).body;
    const pump = writeMultipart(writer, layout, plans, read).then(
      () => writer.close(),
      (error: unknown) => {
        console.error(
          JSON.stringify({
            level: "error",
            event: "multipart_failed",
            key: file.r2Key,
            error: String(error),
          }),
        );
        return writer.abort(error);
      },
    );
    c.executionCtx.waitUntil(pump);
    return { response: new Response(readable, { status: 206, headers }), servedAs: "range" };
  }

  headers.set("Content-Type", CONTENT_TYPE);
  headers.set("Content-Length", String(file.size));
  if (isHead) return { response: new Response(null, { status: 200, headers }), servedAs: "head" };
  const object = await readObject(bucket, file);
  return { response: new Response(object.body, { status: 200, headers }), servedAs: "full" };
}
