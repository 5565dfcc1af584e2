import { getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { documentAudit, loadDocument } from "../../services/documents/library.ts";
import { documentLinkUrl } from "../../services/documents/links.ts";
import { documentDatabase } from "../../services/documents/scope.ts";

export const createDocumentLink = operation("createDocumentLink", async (c, { params, body, caller }) => {
  const db = await documentDatabase(c, caller, params);
  const row = await loadDocument(db, params.documentId);
  if (row.status !== "ready")
    throw new ApiError("DOCUMENT_NOT_FOUND", "This document's upload is unfinished.");
  const expires = Math.floor(Date.now() / 1000) + body.expires_in_seconds;
  const expiresAt = new Date(expires * 1000).toISOString();
  const url = await documentLinkUrl(getConfig(c.env), params.companyId, row.id, expires);
  await documentAudit(c, params.companyId, "document.link_created", row, { expires_at: expiresAt });
  return { success: true, url, expires_at: expiresAt };
});
