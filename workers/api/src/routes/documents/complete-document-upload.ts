import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import {
  deleteDocumentRow,
  documentAudit,
  loadDocument,
  requireUploading,
  toDocumentView,
} from "../../services/documents/library.ts";
import { markReady, partPlan, receivedParts } from "../../services/documents/parts.ts";
import { documentDatabase } from "../../services/documents/scope.ts";
import { checksumMismatch, recordOrDiscard, storedSha256 } from "../../services/documents/upload.ts";
import { indexDocumentTextLater } from "../../services/search/document-text.ts";

export const completeDocumentUpload = operation("completeDocumentUpload", async (c, { params, caller }) => {
  const db = await documentDatabase(c, caller, params);
  const row = await loadDocument(db, params.documentId);
  requireUploading(row, true);
  const parts = await receivedParts(db, row.id);
  const { count } = partPlan(row);
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter(
    (n) => !parts.some((part) => part.partNumber === n),
  );
  if (missing.length > 0) {
    throw new ApiError(
      "DOCUMENT_STATE_CONFLICT",
      `Send every part before completing; missing: ${missing.join(", ")}.`,
      { missing_parts: missing },
    );
  }
  const bucket = c.env.DOCUMENTS;
  await bucket
    .resumeMultipartUpload(row.r2Key, row.multipartUploadId ?? "")
    .complete(parts.map(({ partNumber, etag }) => ({ partNumber, etag })));
  const sha256 = await storedSha256(bucket, row.r2Key);
  if (row.sha256 && row.sha256 !== sha256) {
    // The parts are gone with the completed object: the upload starts over.
    await deleteDocumentRow(db, row);
    await checksumMismatch(bucket, row.r2Key, row.sha256, sha256);
  }
  const ready = await recordOrDiscard(bucket, row.r2Key, () => markReady(db, row, sha256));
  indexDocumentTextLater(c, db, ready);
  await documentAudit(c, params.companyId, "document.uploaded", ready, { sha256, parts: count });
  return { success: true, document: toDocumentView(ready) };
});
