// GET /api/documents/shared/{companyId}/{documentId}?expires&signature: a signed link, opened without
// a session (a browser, a phone's viewer). Every failure but a deleted document looks the same.
import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { honoPath, validParams, validQuery } from "../../lib/route.ts";
import { loadDocument } from "../../services/documents/library.ts";
import { documentLinkValid } from "../../services/documents/links.ts";
import { serveDocument } from "../../services/documents/serve.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const contract = routes.openDocumentLink;

export const sharedDocumentRoute = new Hono<AppEnv>().on(
  ["GET", "HEAD"],
  honoPath(contract.path),
  validParams(contract.params),
  validQuery(contract.query),
  async (c) => {
    const { companyId, documentId } = c.req.valid("param");
    const { expires, signature } = c.req.valid("query");
    if (!(await documentLinkValid(getConfig(c.env), { companyId, documentId, expires, signature }))) {
      throw new ApiError(
        "DOCUMENT_LINK_INVALID",
        "This link is not valid or has expired. Ask for a new one.",
      );
    }
    const db = await tenantDatabase(c.env, companyId);
    return serveDocument(c, await loadDocument(db, documentId));
  },
);
