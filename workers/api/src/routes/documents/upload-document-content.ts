import { DOCUMENT_LIMITS } from "@nexus/contracts";
import { bodyLength } from "../../lib/body-length.ts";
import { operation } from "../../lib/operation.ts";
import {
  documentAudit,
  loadDocument,
  requireUploading,
  toDocumentView,
} from "../../services/documents/library.ts";
import { markReady } from "../../services/documents/parts.ts";
import { documentDatabase } from "../../services/documents/scope.ts";
import { checksumMismatch, recordOrDiscard, streamChecked } from "../../services/documents/upload.ts";
import { indexDocumentTextLater } from "../../services/search/document-text.ts";

export const uploadDocumentContent = operation("uploadDocumentContent", async (c, { params, caller }) => {
  const db = await documentDatabase(c, caller, params);
  const row = await loadDocument(db, params.documentId);
  requireUploading(row, false);
  const length = bodyLength(c, {
    exact: row.size,
    max: DOCUMENT_LIMITS.maxSingleUploadBytes,
    tooLarge: `At most ${DOCUMENT_LIMITS.maxSingleUploadBytes} bytes in one PUT; declare larger files with "multipart": true.`,
  });
  const bucket = c.env.DOCUMENTS;
  const sha256 = await streamChecked(c.req.raw.body as ReadableStream<Uint8Array>, length, row, (stream) =>
    bucket.put(row.r2Key, stream, { httpMetadata: { contentType: row.contentType } }),
  );
  if (row.sha256 && row.sha256 !== sha256) await checksumMismatch(bucket, row.r2Key, row.sha256, sha256);
  const ready = await recordOrDiscard(bucket, row.r2Key, () => markReady(db, row, sha256));
  indexDocumentTextLater(c, db, ready);
  await documentAudit(c, params.companyId, "document.uploaded", ready, { sha256 });
  return { success: true, document: toDocumentView(ready) };
});
