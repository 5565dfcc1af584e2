// The document library in a company's tenant database: views, loading (scoped: a document exists
// only in its own company's database), storage quota and the company's allowed types.
import {
  DEFAULT_DOCUMENT_TYPES,
  DOCUMENT_LIMITS,
  type Document,
  type DocumentListQuerySchema,
  type DocumentType,
  DocumentTypeSchema,
  type SubscriptionTier,
  tierStorageQuota,
} from "@nexus/contracts";
import { companies } from "@nexus/db/central";
import { documents } from "@nexus/db/tenant";
import { and, eq, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import type { z } from "zod";
import type { Actor, AppEnv, CentralDb } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { auditStatement } from "../audit.ts";
import { listPage, type Page } from "../list-page.ts";
import { contentTypeOf, typeOfName } from "./sniff.ts";

export type DocumentRow = typeof documents.$inferSelect;
export const documentOrm = (db: D1Database) => drizzle(db);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function toDocumentView(row: DocumentRow): Document {
  return {
    id: row.id,
    name: row.name,
    type: row.type as DocumentType,
    content_type: row.contentType,
    size: row.size,
    sha256: row.status === "ready" ? row.sha256 : null,
    status: row.status,
    tags: row.tags,
    machine_id: row.machineId,
    project_id: row.projectId,
    uploaded_by: { type: row.uploadedByType, id: row.uploadedById },
    created_at: new Date(row.createdAt).toISOString(),
    updated_at: new Date(row.updatedAt).toISOString(),
    deleted_at: iso(row.deletedAt),
    purge_after: iso(row.purgeAfter),
  };
}

/** Bytes live under the company's prefix and the document's id; the name is never part of a key. */
export const documentKey = (companyId: string, documentId: string) =>
  `companies/${companyId}/documents/${documentId}`;

/** A document of this company (deleted ones only when asked); anything else is a 404. */
export async function loadDocument(
  db: D1Database,
  documentId: string,
  options: { deleted?: boolean } = {},
): Promise<DocumentRow> {
  const [row] = await documentOrm(db)
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), options.deleted ? undefined : isNull(documents.deletedAt)))
    .limit(1);
  if (!row) throw new ApiError("DOCUMENT_NOT_FOUND", `This company has no document ${documentId}.`);
  return row;
}

export function requireUploading(row: DocumentRow, multipart: boolean): void {
  if (row.status !== "uploading") {
    throw new ApiError("DOCUMENT_STATE_CONFLICT", "This document's upload is already complete.");
  }
  if (multipart !== (row.multipartUploadId !== null)) {
    throw new ApiError(
      "DOCUMENT_STATE_CONFLICT",
      multipart
        ? "This upload was declared as a single upload: send its bytes with PUT …/content."
        : "This upload was declared multipart: send its bytes in parts (PUT …/parts/{n}).",
    );
  }
}

export interface CompanyStorage {
  quotaBytes: number;
  allowedTypes: DocumentType[];
}

/** The company's quota (by tier) and allowed types (its `document_types` setting, else the defaults). */
export async function companyStorage(central: CentralDb, companyId: string): Promise<CompanyStorage> {
  const [company] = await central
    .select({ tier: companies.subscriptionTier, settings: companies.settings })
    .from(companies)
    .where(eq(companies.id, companyId))
    .limit(1);
  if (!company) throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  const configured = company.settings.document_types;
  const allowedTypes = Array.isArray(configured)
    ? configured.flatMap((type) => {
        const parsed = DocumentTypeSchema.safeParse(type);
        return parsed.success ? [parsed.data] : [];
      })
    : DEFAULT_DOCUMENT_TYPES;
  return {
    quotaBytes: tierStorageQuota[company.tier as SubscriptionTier] ?? tierStorageQuota.standard,
    allowedTypes,
  };
}

/** Bytes held or reserved: every document until it is purged (deleted ones can come back). */
export async function usedBytes(db: D1Database): Promise<number> {
  const [row] = await documentOrm(db)
    .select({ used: sql<number>`coalesce(sum(${documents.size}), 0)` })
    .from(documents);
  return Number(row?.used ?? 0);
}

export function quotaExceeded(storage: CompanyStorage, used: number, adding: number): ApiError {
  return new ApiError(
    "STORAGE_QUOTA_EXCEEDED",
    `This company's documents would use ${used + adding} of its ${storage.quotaBytes} bytes. Delete documents (they are purged ${DOCUMENT_LIMITS.restoreWindowDays} days later) or move to a larger plan.`,
    { used_bytes: used, quota_bytes: storage.quotaBytes, adding_bytes: adding },
  );
}

/**
 * Content-Disposition for a stored name: an ASCII fallback plus the exact name (RFC 6266/5987), so
 * quotes, slashes, control characters and non-Latin names can neither break the header nor make the
 * runtime refuse it.
 */
export function dispositionFor(name: string, inline: boolean): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\/;]/g, "_");
  return `${inline ? "inline" : "attachment"}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Types a browser may show in place (under a sandbox CSP); everything else downloads. */
export const INLINE_TYPES: ReadonlySet<DocumentType> = new Set(["pdf", "png", "jpeg", "gif", "webp"]);

/** The company's allowed type for `name`, or a 415 naming what is allowed. */
export async function allowedTypeOf(central: CentralDb, companyId: string, name: string) {
  const storage = await companyStorage(central, companyId);
  const type = typeOfName(name);
  if (!type || !storage.allowedTypes.includes(type)) {
    throw new ApiError(
      "DOCUMENT_TYPE_NOT_ALLOWED",
      `${name} is not a document type this company accepts. Allowed: ${storage.allowedTypes.join(", ")}.`,
      { allowed_types: storage.allowedTypes },
    );
  }
  return { type, storage };
}

/** The audit entry of a change to a document, naming it and its size. */
export function documentAudit(
  c: Context<AppEnv>,
  companyId: string,
  action: string,
  row: DocumentRow,
  details: Record<string, unknown> = {},
) {
  return auditStatement(c, {
    companyId,
    action,
    targetType: "document",
    targetId: row.id,
    details: { name: row.name, size: row.size, ...details },
  });
}

/** A declared upload, before its row exists. */
export interface NewDocument {
  id: string;
  name: string;
  type: DocumentType;
  size: number;
  sha256: string | null;
  multipartUploadId: string | null;
  tags: string[];
  machineId: string | null;
  projectId: string | null;
  uploadedBy: Actor;
}

/**
 * Inserts the document's row (status uploading) if its size still fits the quota; false when it
 * does not. Reserved only if it fits: the sum and the insert are one statement, so racing uploads
 * cannot overshoot the quota together.
 */
export async function reserveDocument(
  db: D1Database,
  companyId: string,
  doc: NewDocument,
  quotaBytes: number,
): Promise<boolean> {
  const now = Date.now();
  // Raw SQL: the quota check must be the insert's own condition (INSERT … SELECT … WHERE), and
  // drizzle's insert-select needs a select from a table naming every column, not a row of values.
  const inserted = await db
    .prepare(
      `INSERT INTO documents (id, name, type, content_type, size, sha256, status, r2_key, multipart_upload_id, tags,
       machine_id, project_id, uploaded_by_type, uploaded_by_id, created_at, updated_at, upload_expires_at)
     SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'uploading', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15
     WHERE (SELECT coalesce(sum(size), 0) FROM documents) + ?5 <= ?16`,
    )
    .bind(
      doc.id,
      doc.name,
      doc.type,
      contentTypeOf(doc.name, doc.type),
      doc.size,
      doc.sha256,
      documentKey(companyId, doc.id),
      doc.multipartUploadId,
      JSON.stringify(doc.tags),
      doc.machineId,
      doc.projectId,
      doc.uploadedBy.type,
      doc.uploadedBy.id,
      now,
      now + DOCUMENT_LIMITS.uploadExpiryHours * 3_600_000,
      quotaBytes,
    )
    .run();
  return (inserted.meta.changes ?? 0) > 0;
}

/** A page of the company's documents, newest first. */
export function documentsPage(
  db: D1Database,
  query: z.output<typeof DocumentListQuerySchema>,
  scope: (SQL | undefined)[],
): Promise<Page<DocumentRow>> {
  return listPage(
    query,
    documents.id,
    [
      query.deleted === "true" ? isNotNull(documents.deletedAt) : isNull(documents.deletedAt),
      query.type ? eq(documents.type, query.type) : undefined,
      query.machine_id ? eq(documents.machineId, query.machine_id) : undefined,
      query.project_id ? eq(documents.projectId, query.project_id) : undefined,
      query.uploaded_by ? eq(documents.uploadedById, query.uploaded_by) : undefined,
      // Tags are a JSON array in one column: json_each is how SQLite looks inside it.
      query.tag
        ? sql`EXISTS (SELECT 1 FROM json_each(${documents.tags}) WHERE value = ${query.tag})`
        : undefined,
      ...scope,
    ],
    ({ where, orderBy, limit }) =>
      documentOrm(db).select().from(documents).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
}

/** Writes the given fields (undefined ones are left as they are) and returns the document. */
export async function updateDocumentRow(
  db: D1Database,
  row: DocumentRow,
  changes: Pick<
    Partial<DocumentRow>,
    "name" | "tags" | "machineId" | "projectId" | "deletedAt" | "purgeAfter"
  >,
): Promise<DocumentRow> {
  await documentOrm(db)
    .update(documents)
    .set({ ...changes, updatedAt: Date.now() })
    .where(eq(documents.id, row.id));
  return loadDocument(db, row.id, { deleted: true });
}

/** Forgets the document's row (its parts go with it); its bytes are the caller's to delete first. */
export async function deleteDocumentRow(db: D1Database, row: DocumentRow): Promise<void> {
  await documentOrm(db).delete(documents).where(eq(documents.id, row.id));
}
