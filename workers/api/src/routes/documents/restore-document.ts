import { operation } from "../../lib/operation.ts";
import {
  documentAudit,
  loadDocument,
  toDocumentView,
  updateDocumentRow,
} from "../../services/documents/library.ts";
import { documentDatabase } from "../../services/documents/scope.ts";

export const restoreDocument = operation("restoreDocument", async (c, { params, caller }) => {
  const db = await documentDatabase(c, caller, params);
  const row = await loadDocument(db, params.documentId, { deleted: true });
  // Restoring a document that is not deleted changes nothing and is not audited.
  if (row.deletedAt === null) return { success: true, document: toDocumentView(row) };
  const restored = await updateDocumentRow(db, row, { deletedAt: null, purgeAfter: null });
  await documentAudit(c, params.companyId, "document.restored", row);
  return { success: true, document: toDocumentView(restored) };
});
