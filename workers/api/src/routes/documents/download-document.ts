import { operation } from "../../lib/operation.ts";
import { loadDocument } from "../../services/documents/library.ts";
import { documentDatabase } from "../../services/documents/scope.ts";
import { serveDocument } from "../../services/documents/serve.ts";

export const downloadDocument = operation("downloadDocument", async (c, { params, caller }) => {
  const db = await documentDatabase(c, caller, params);
  return serveDocument(c, await loadDocument(db, params.documentId));
});
