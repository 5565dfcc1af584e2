import { operation } from "../../lib/operation.ts";
import { loadDocument } from "../../services/documents/library.ts";
import { partsView } from "../../services/documents/parts.ts";
import { documentDatabase } from "../../services/documents/scope.ts";

export const listDocumentParts = operation("listDocumentParts", async (c, { params, caller }) => {
  const db = await documentDatabase(c, caller, params);
  return partsView(db, await loadDocument(db, params.documentId));
});
