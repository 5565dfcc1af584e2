import { operation } from "../../lib/operation.ts";
import { loadDocument, toDocumentView } from "../../services/documents/library.ts";
import { documentDatabase } from "../../services/documents/scope.ts";

export const getDocument = operation("getDocument", async (c, { params, caller }) => {
  const db = await documentDatabase(c, caller, params);
  return { success: true, document: toDocumentView(await loadDocument(db, params.documentId)) };
});
