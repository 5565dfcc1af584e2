// Signed document links: `/api/documents/shared/{company}/{document}?expires=<unix s>&signature=v<k>.<mac>`
// where the MAC is HMAC-SHA256 over `document.expires` with a key derived per company from the
// ENCRYPTION_KEYS master key (version k). A link opens one document until it expires; deleting the
// document ends it too, as the document is looked up on every use.
import { routes } from "@nexus/contracts";
import { signForCompany, verifyForCompany } from "@nexus/security";
import type { Config } from "../../env.ts";

const PURPOSE = "document-links";

export async function documentLinkUrl(
  config: Config,
  companyId: string,
  documentId: string,
  expires: number,
) {
  const signature = await signForCompany(
    config.ENCRYPTION_KEYS,
    companyId,
    PURPOSE,
    `${documentId}.${expires}`,
  );
  const path = routes.openDocumentLink.path
    .replace("{companyId}", encodeURIComponent(companyId))
    .replace("{documentId}", encodeURIComponent(documentId));
  const url = new URL(path, config.PUBLIC_URL);
  url.searchParams.set("expires", String(expires));
  url.searchParams.set("signature", signature);
  return url.toString();
}

export async function documentLinkValid(
  config: Config,
  link: { companyId: string; documentId: string; expires: string; signature: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (!/^\d{1,12}$/.test(link.expires) || Number(link.expires) < nowSeconds) return false;
  return verifyForCompany(
    config.ENCRYPTION_KEYS,
    link.companyId,
    PURPOSE,
    `${link.documentId}.${link.expires}`,
    link.signature,
  );
}
