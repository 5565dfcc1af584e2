import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { deleteDocumentRow, loadDocument, toDocumentView } from "../../services/documents/library.ts";
import { documentDatabase } from "../../services/documents/scope.ts";

export const abortDocumentUpload = operation("abortDocumentUpload", async (c, { params, caller }) => {
  const db = await documentDatabase(c, caller, params);
  const row = await loadDocument(db, params.documentId);
  if (row.status !== "uploading") {
    throw new ApiError("DOCUMENT_STATE_CONFLICT", "This document is uploaded; delete it instead.");
  }
  if (row.multipartUploadId) {
    await c.env.DOCUMENTS.resumeMultipartUpload(row.r2Key, row.multipartUploadId).abort();
  }
  await c.env.DOCUMENTS.delete(row.r2Key);
  await deleteDocumentRow(db, row);
  return { success: true, document: toDocumentView(row) };
});
