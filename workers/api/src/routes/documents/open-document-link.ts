// A signed link, opened without a session (a browser, a phone's viewer): the signedLink guard has
// checked its expiry and signature, so here the document is only looked up (a deleted one is gone,
// which ends its links) and served.
import { operation } from "../../lib/operation.ts";
import { loadDocument } from "../../services/documents/library.ts";
import { serveDocument } from "../../services/documents/serve.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const openDocumentLink = operation("openDocumentLink", async (c, { params }) => {
  const db = await tenantDatabase(c.env, params.companyId);
  return serveDocument(c, await loadDocument(db, params.documentId));
});
