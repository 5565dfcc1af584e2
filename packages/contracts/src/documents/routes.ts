import { z } from "zod";
import {
  adminErrors,
  bodyErrors,
  CompanyIdParams,
  companyErrors,
  define,
  type RouteContract,
} from "../shared/route-contract.ts";
import {
  CreateDocumentRequestSchema,
  DocumentLinkRequestSchema,
  DocumentLinkSchema,
  DocumentListQuerySchema,
  DocumentListSchema,
  DocumentResponseSchema,
  UpdateDocumentRequestSchema,
  UploadedPartsSchema,
} from "./schemas.ts";

const DocumentParams = CompanyIdParams.extend({ documentId: z.string().min(1).max(64) });
const rawUploadErrors = [
  "DOCUMENT_STATE_CONFLICT",
  "DOCUMENT_TYPE_NOT_ALLOWED",
  "LENGTH_REQUIRED",
  "PAYLOAD_TOO_LARGE",
  "VALIDATION_FAILED",
] as const;

/**
 * A route of the company's document library: company-scoped with `documents:<action>`; reading and
 * writing are open to the company's installations too (the apps upload photos and files), deleting
 * is not. Every one can answer the access errors and DOCUMENT_NOT_FOUND.
 */
function documentRoute<const T extends Omit<RouteContract, "tag" | "auth" | "permission" | "installations">>(
  action: "read" | "write" | "delete",
  route: T,
) {
  return define({
    ...route,
    tag: "documents",
    auth: "company",
    permission: { resource: "documents", action },
    ...(action === "delete" ? {} : { installations: true as const }),
    errors: [...adminErrors, ...companyErrors, "DOCUMENT_NOT_FOUND", ...route.errors] as const,
  });
}

export const documentRoutes = {
  createDocument: documentRoute("write", {
    method: "post",
    path: "/api/admin/companies/{companyId}/documents",
    summary:
      "Declare an upload (name, size, optional sha256): checks the type, size and storage quota and reserves the space",
    params: CompanyIdParams,
    body: CreateDocumentRequestSchema,
    status: 201,
    response: UploadedPartsSchema,
    errors: [
      ...bodyErrors,
      "DOCUMENT_TYPE_NOT_ALLOWED",
      "STORAGE_QUOTA_EXCEEDED",
      "TENANT_DATABASE_EXTERNAL",
      "PROJECT_NOT_FOUND",
    ],
  }),
  uploadDocumentContent: documentRoute("write", {
    method: "put",
    path: "/api/admin/companies/{companyId}/documents/{documentId}/content",
    summary:
      "Send a declared document's bytes in one request (≤ 95 MiB); its first bytes must match its type",
    params: DocumentParams,
    rawBody: true,
    status: 200,
    response: DocumentResponseSchema,
    errors: [...rawUploadErrors, "CHECKSUM_MISMATCH"],
  }),
  uploadDocumentPart: documentRoute("write", {
    method: "put",
    path: "/api/admin/companies/{companyId}/documents/{documentId}/parts/{partNumber}",
    summary: "Send one part of a multipart upload (sending a part again replaces it)",
    params: DocumentParams.extend({ partNumber: z.coerce.number().int().min(1).max(10_000) }),
    rawBody: true,
    status: 200,
    response: UploadedPartsSchema,
    errors: rawUploadErrors,
  }),
  listDocumentParts: documentRoute("write", {
    method: "get",
    path: "/api/admin/companies/{companyId}/documents/{documentId}/parts",
    summary: "The parts received so far: a resumed upload sends only the missing ones",
    params: DocumentParams,
    status: 200,
    response: UploadedPartsSchema,
    errors: [],
  }),
  completeDocumentUpload: documentRoute("write", {
    method: "post",
    path: "/api/admin/companies/{companyId}/documents/{documentId}/complete",
    summary: "Assemble a multipart upload once every part arrived; checks the size and sha256",
    params: DocumentParams,
    status: 200,
    response: DocumentResponseSchema,
    errors: ["DOCUMENT_STATE_CONFLICT", "CHECKSUM_MISMATCH"],
  }),
  abortDocumentUpload: documentRoute("write", {
    method: "delete",
    path: "/api/admin/companies/{companyId}/documents/{documentId}/upload",
    summary: "Give up an unfinished upload: its parts are discarded and its reserved space freed",
    params: DocumentParams,
    status: 200,
    response: DocumentResponseSchema,
    errors: ["DOCUMENT_STATE_CONFLICT"],
  }),
  listDocuments: documentRoute("read", {
    method: "get",
    path: "/api/admin/companies/{companyId}/documents",
    summary: "The company's documents, newest first, filtered by tag, type, machine, project or uploader",
    params: CompanyIdParams,
    query: DocumentListQuerySchema,
    status: 200,
    response: DocumentListSchema,
    errors: ["VALIDATION_FAILED", "TENANT_DATABASE_EXTERNAL"],
  }),
  getDocument: documentRoute("read", {
    method: "get",
    path: "/api/admin/companies/{companyId}/documents/{documentId}",
    summary: "One document's metadata",
    params: DocumentParams,
    status: 200,
    response: DocumentResponseSchema,
    errors: [],
  }),
  downloadDocument: documentRoute("read", {
    method: "get",
    path: "/api/admin/companies/{companyId}/documents/{documentId}/content",
    summary: "The document's bytes, streamed: ETag / If-None-Match (304), Range (206)",
    params: DocumentParams,
    status: 200,
    response: z.string(),
    responseType: "application/octet-stream",
    errors: ["RANGE_NOT_SATISFIABLE"],
  }),
  updateDocument: documentRoute("write", {
    method: "patch",
    path: "/api/admin/companies/{companyId}/documents/{documentId}",
    summary: "Rename, retag, or link to a machine or project",
    params: DocumentParams,
    body: UpdateDocumentRequestSchema,
    status: 200,
    response: DocumentResponseSchema,
    errors: [...bodyErrors, "DOCUMENT_TYPE_NOT_ALLOWED", "PROJECT_NOT_FOUND"],
  }),
  deleteDocument: documentRoute("delete", {
    method: "delete",
    path: "/api/admin/companies/{companyId}/documents/{documentId}",
    summary: "Delete a document: restorable for 30 days, then its bytes are purged",
    params: DocumentParams,
    status: 200,
    response: DocumentResponseSchema,
    errors: ["DOCUMENT_STATE_CONFLICT"],
  }),
  restoreDocument: documentRoute("delete", {
    method: "post",
    path: "/api/admin/companies/{companyId}/documents/{documentId}/restore",
    summary: "Bring back a deleted document within its restore window",
    params: DocumentParams,
    status: 200,
    response: DocumentResponseSchema,
    errors: [],
  }),
  createDocumentLink: documentRoute("read", {
    method: "post",
    path: "/api/admin/companies/{companyId}/documents/{documentId}/link",
    summary: "A signed link to the document that opens without a session until it expires",
    params: DocumentParams,
    body: DocumentLinkRequestSchema,
    status: 200,
    response: DocumentLinkSchema,
    errors: bodyErrors,
  }),
  openDocumentLink: define({
    method: "get",
    path: "/api/documents/shared/{companyId}/{documentId}",
    summary:
      "Open a signed document link (`expires`, `signature` query parameters): streamed like a download",
    tag: "documents",
    auth: "signedLink",
    params: DocumentParams,
    query: z.object({ expires: z.string().max(20), signature: z.string().max(200) }),
    status: 200,
    response: z.string(),
    responseType: "application/octet-stream",
    errors: ["DOCUMENT_LINK_INVALID", "DOCUMENT_NOT_FOUND", "RANGE_NOT_SATISFIABLE", "VALIDATION_FAILED"],
  }),
} as const;
