// The company's document library: declare an upload (type, size and quota checked, space reserved),
// send the bytes in one PUT or in parts (resumable), then list, download, rename, link, delete and
// restore. Metadata lives in the company's tenant database, bytes in the DOCUMENTS bucket.
import type { Operation } from "../../lib/operation.ts";
import { abortDocumentUpload } from "./abort-document-upload.ts";
import { completeDocumentUpload } from "./complete-document-upload.ts";
import { createDocument } from "./create-document.ts";
import { createDocumentLink } from "./create-document-link.ts";
import { deleteDocument } from "./delete-document.ts";
import { downloadDocument } from "./download-document.ts";
import { getDocument } from "./get-document.ts";
import { listDocumentParts } from "./list-document-parts.ts";
import { listDocuments } from "./list-documents.ts";
import { openDocumentLink } from "./open-document-link.ts";
import { restoreDocument } from "./restore-document.ts";
import { updateDocument } from "./update-document.ts";
import { uploadDocumentContent } from "./upload-document-content.ts";
import { uploadDocumentPart } from "./upload-document-part.ts";

export const documentsOperations: Operation[] = [
  createDocument,
  uploadDocumentContent,
  uploadDocumentPart,
  listDocumentParts,
  completeDocumentUpload,
  abortDocumentUpload,
  listDocuments,
  getDocument,
  downloadDocument,
  updateDocument,
  deleteDocument,
  restoreDocument,
  createDocumentLink,
  openDocumentLink,
];
