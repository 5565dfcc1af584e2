// A document's bytes as a download (or in place, for PDFs and images), with ETag/304 and ranges.
// Stored files are other people's content: the sandbox CSP and nosniff keep a browser from running
// anything in them on our origin.
import type { DocumentType } from "@nexus/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { serveFile } from "../updates/serve-file.ts";
import { type DocumentRow, dispositionFor, INLINE_TYPES } from "./library.ts";

export async function serveDocument(c: Context<AppEnv>, row: DocumentRow): Promise<Response> {
  if (row.status !== "ready" || !row.sha256) {
    throw new ApiError("DOCUMENT_NOT_FOUND", `${row.name} is still being uploaded.`);
  }
  const { response } = await serveFile(
    c,
    { name: row.name, r2Key: row.r2Key, size: row.size, etag: row.sha256 },
    {
      bucket: c.env.DOCUMENTS,
      contentType: row.contentType,
      disposition: dispositionFor(row.name, INLINE_TYPES.has(row.type as DocumentType)),
      // A document can be deleted or renamed: caches check back instead of keeping it for a day.
      cacheControl: "private, no-cache",
      headers: {
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
      },
    },
  );
  return response;
}
