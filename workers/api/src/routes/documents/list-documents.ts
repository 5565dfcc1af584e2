import { operation } from "../../lib/operation.ts";
import {
  companyStorage,
  documentsPage,
  toDocumentView,
  usedBytes,
} from "../../services/documents/library.ts";
import { documentScopeFilters } from "../../services/documents/scope.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

export const listDocuments = operation("listDocuments", async (c, { params, query, caller }) => {
  const { companyId } = params;
  const db = await tenantDatabase(c.env, companyId);
  const page = await documentsPage(db, query, await documentScopeFilters(c, caller, db, companyId));
  const storage = await companyStorage(c.get("db"), companyId);
  return {
    success: true,
    documents: page.items.map(toDocumentView),
    next_cursor: page.nextCursor,
    usage: { used_bytes: await usedBytes(db), quota_bytes: storage.quotaBytes },
  };
});
