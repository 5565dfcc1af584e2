import { DOCUMENT_LIMITS } from "@nexus/contracts";
import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import {
  documentAudit,
  loadDocument,
  toDocumentView,
  updateDocumentRow,
} from "../../services/documents/library.ts";
import { documentDatabase } from "../../services/documents/scope.ts";

const DAY_MS = 86_400_000;

export const deleteDocument = operation("deleteDocument", async (c, { params, caller }) => {
  const db = await documentDatabase(c, caller, params);
  const row = await loadDocument(db, params.documentId);
  if (row.status !== "ready") {
    throw new ApiError(
      "DOCUMENT_STATE_CONFLICT",
      "This upload is unfinished; abort it (DELETE …/upload) instead.",
    );
  }
  const now = Date.now();
  const deleted = await updateDocumentRow(db, row, {
    deletedAt: now,
    purgeAfter: now + DOCUMENT_LIMITS.restoreWindowDays * DAY_MS,
  });
  await documentAudit(c, params.companyId, "document.deleted", deleted);
  return { success: true, document: toDocumentView(deleted) };
});
