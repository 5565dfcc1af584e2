// A local stand-in for the Nexus API's document upload routes (declare, single and multipart
// uploads, parts listing, complete, abort, get), matched on the contract's paths, validating bodies
// with the contract's schemas and answering with its shapes and error envelope. Documents and their
// bytes live in memory. It checks what the real API checks that matters to a client: the bearer
// credential and company, the name's type against the allowed types, the bytes' first bytes against
// the name, the quota, Content-Length and part sizes, and the declared sha256.
import { createHash, randomUUID } from "node:crypto";
import {
  CreateDocumentRequestSchema,
  DEFAULT_DOCUMENT_TYPES,
  DOCUMENT_LIMITS,
  type Document,
  type DocumentType,
  documentPartSize,
  documentTypes,
  routes,
} from "@nexus/contracts";
import {
  arrived,
  exactBody,
  jsonBody,
  partBytes,
  StandInError,
  type StandInRequest,
  startStandInServer,
} from "./stand-in-server.ts";

export interface DocumentApiStandInOptions {
  /** Bearer credentials accepted (the operator secret, API keys). */
  credentials: string[];
  /** The companies that exist. */
  companyIds: string[];
  /** Default DEFAULT_DOCUMENT_TYPES (everything but archives). */
  allowedTypes?: DocumentType[];
  /** Default 5 GiB (the standard tier). */
  quotaBytes?: number;
  /** Overrides documentPartSize(size), so tests can cut small files into several parts. */
  partSize?: number;
}

interface StoredDocument {
  companyId: string;
  view: Document;
  multipart: boolean;
  parts: Map<number, Buffer>;
  bytes?: Buffer;
}

export interface DocumentApiStandIn {
  url: string;
  requests: StandInRequest[];
  /** Uploads of documents with these names arrive with one byte flipped, as if corrupted on the way. */
  corruptUploads: Set<string>;
  /** Every document, uploading or ready, oldest first. */
  documents(): Document[];
  /** The stored bytes of a ready document. */
  stored(documentId: string): Buffer | undefined;
  close(): Promise<void>;
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function typeOfName(name: string): DocumentType | undefined {
  const extension = name.includes(".") ? (name.split(".").at(-1)?.toLowerCase() ?? "") : "";
  return (Object.keys(documentTypes) as DocumentType[]).find((type) =>
    (documentTypes[type].extensions as readonly string[]).includes(extension),
  );
}

/** The API's signature check, for the types the CLI's tests use: PDF, PNG, JPEG, zip, text. */
function bytesFit(head: Buffer, type: DocumentType): boolean {
  const starts = (signature: number[] | string) =>
    head.subarray(0, signature.length).equals(Buffer.from(signature));
  if (type === "pdf") return starts("%PDF-");
  if (type === "png") return starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (type === "jpeg") return starts([0xff, 0xd8, 0xff]);
  if (type === "office" || type === "archive") return starts([0x50, 0x4b, 0x03, 0x04]);
  if (type === "text") return !head.includes(0) && !starts("MZ");
  return true;
}

export async function startDocumentApiStandIn(
  options: DocumentApiStandInOptions,
): Promise<DocumentApiStandIn> {
  const allowedTypes = options.allowedTypes ?? DEFAULT_DOCUMENT_TYPES;
  const quotaBytes = options.quotaBytes ?? 5 * 1024 ** 3;
  const documents: StoredDocument[] = [];
  const corruptUploads = new Set<string>();
  const partSizeOf = (size: number) => options.partSize ?? documentPartSize(size);
  const server = await startStandInServer({
    authorize(request) {
      const token = request.headers.get("authorization")?.replace(/^Bearer /, "");
      if (token === undefined || !options.credentials.includes(token)) {
        throw new StandInError("UNAUTHORIZED", "The bearer credential is not valid here.");
      }
    },
    checkParams(params) {
      if (!options.companyIds.includes(params.companyId ?? "")) {
        throw new StandInError("COMPANY_NOT_FOUND", `No company has the id ${params.companyId}.`);
      }
    },
  });
  const { on } = server;

  on(routes.createDocument, async (request, params) => {
    const data = await jsonBody(request, CreateDocumentRequestSchema);
    const type = typeOfName(data.name);
    if (!type || !allowedTypes.includes(type)) {
      throw new StandInError(
        "DOCUMENT_TYPE_NOT_ALLOWED",
        `${data.name} is not a document type this company accepts. Allowed: ${allowedTypes.join(", ")}.`,
      );
    }
    if (!data.multipart && data.size > DOCUMENT_LIMITS.maxSingleUploadBytes) {
      throw new StandInError(
        "PAYLOAD_TOO_LARGE",
        'Files over 95 MiB are uploaded in parts: declare "multipart": true.',
      );
    }
    const companyId = params.companyId ?? "";
    const used = documents.filter((d) => d.companyId === companyId).reduce((sum, d) => sum + d.view.size, 0);
    if (used + data.size > quotaBytes) {
      throw new StandInError("STORAGE_QUOTA_EXCEEDED", `${data.size} more bytes do not fit in the quota.`);
    }
    const now = new Date().toISOString();
    const view: Document = {
      id: randomUUID(),
      name: data.name,
      type,
      content_type: documentTypes[type].mime,
      size: data.size,
      sha256: data.sha256 ?? null,
      status: "uploading",
      tags: data.tags,
      machine_id: data.machine_id ?? null,
      project_id: data.project_id ?? null,
      uploaded_by: { type: "operator", id: "admin-secret" },
      created_at: now,
      updated_at: now,
      deleted_at: null,
      purge_after: null,
    };
    const stored: StoredDocument = { companyId, view, multipart: data.multipart, parts: new Map() };
    documents.push(stored);
    return { status: 201, body: partsView(stored) };
  });

  on(routes.uploadDocumentContent, async (request, params) => {
    const document = uploading(params, false);
    const bytes = await exactBody(request, document.view.size);
    checkType(document, bytes);
    return { status: 200, body: { success: true, document: store(document, bytes) } };
  });

  on(routes.uploadDocumentPart, async (request, params) => {
    const document = uploading(params, true);
    const partNumber = Number(params.partNumber);
    const { size } = document.view;
    const bytes = await exactBody(request, partBytes(partNumber, size, partSizeOf(size), "This upload"));
    if (partNumber === 1) checkType(document, bytes);
    document.parts.set(partNumber, bytes);
    return { status: 200, body: partsView(document) };
  });

  on(routes.listDocumentParts, async (_request, params) => ({ status: 200, body: partsView(find(params)) }));

  on(routes.completeDocumentUpload, async (_request, params) => {
    const document = uploading(params, true);
    const count = Math.ceil(document.view.size / partSizeOf(document.view.size));
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !document.parts.has(n));
    if (missing.length > 0) {
      throw new StandInError(
        "DOCUMENT_STATE_CONFLICT",
        `Send every part before completing; missing: ${missing.join(", ")}.`,
      );
    }
    const ordered = [...document.parts.entries()].sort(([a], [b]) => a - b).map(([, bytes]) => bytes);
    const bytes = Buffer.concat(ordered);
    return { status: 200, body: { success: true, document: store(document, bytes) } };
  });

  on(routes.abortDocumentUpload, async (_request, params) => {
    const document = find(params);
    if (document.view.status !== "uploading") {
      throw new StandInError("DOCUMENT_STATE_CONFLICT", "This document is uploaded; delete it instead.");
    }
    documents.splice(documents.indexOf(document), 1);
    return { status: 200, body: { success: true, document: document.view } };
  });

  on(routes.getDocument, async (_request, params) => ({
    status: 200,
    body: { success: true, document: find(params).view },
  }));

  function find(params: Record<string, string>): StoredDocument {
    const document = documents.find(
      (d) => d.companyId === params.companyId && d.view.id === params.documentId,
    );
    if (!document)
      throw new StandInError("DOCUMENT_NOT_FOUND", `This company has no document ${params.documentId}.`);
    return document;
  }

  function uploading(params: Record<string, string>, multipart: boolean): StoredDocument {
    const document = find(params);
    if (document.view.status !== "uploading") {
      throw new StandInError("DOCUMENT_STATE_CONFLICT", "This document's upload is already complete.");
    }
    if (document.multipart !== multipart) {
      throw new StandInError(
        "DOCUMENT_STATE_CONFLICT",
        multipart ? "This upload was declared as a single upload." : "This upload was declared multipart.",
      );
    }
    return document;
  }

  function partsView(document: StoredDocument) {
    const parts = [...document.parts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([part_number, bytes]) => ({ part_number, size: bytes.length }));
    const partSize = document.multipart ? partSizeOf(document.view.size) : document.view.size;
    return { success: true, document: document.view, part_size: partSize, parts };
  }

  function checkType(document: StoredDocument, bytes: Buffer) {
    if (!bytesFit(bytes.subarray(0, 512), document.view.type)) {
      throw new StandInError(
        "DOCUMENT_TYPE_NOT_ALLOWED",
        `${document.view.name} does not look like a ${document.view.type} file; its bytes are of another type.`,
      );
    }
  }

  function store(document: StoredDocument, received: Buffer): Document {
    const bytes = arrived(received, corruptUploads.has(document.view.name));
    const actual = sha256(bytes);
    if (document.view.sha256 !== null && document.view.sha256 !== actual) {
      // As the API does: a single upload stays declared (send again or abort it); a multipart one
      // is gone with its parts and starts over.
      if (document.multipart) documents.splice(documents.indexOf(document), 1);
      throw new StandInError(
        "CHECKSUM_MISMATCH",
        "The bytes received do not match the declared sha256; nothing was stored. Send the file again.",
      );
    }
    document.bytes = bytes;
    document.parts.clear();
    document.view = {
      ...document.view,
      status: "ready",
      sha256: actual,
      updated_at: new Date().toISOString(),
    };
    return document.view;
  }

  return {
    url: server.url,
    requests: server.requests,
    corruptUploads,
    documents: () => documents.map((document) => structuredClone(document.view)),
    stored: (documentId) => documents.find((document) => document.view.id === documentId)?.bytes,
    close: server.close,
  };
}
