// The document library in a company's tenant database: views, loading (scoped: a document exists
// only in its own company's database), storage quota and the company's allowed types.
import {
  DEFAULT_DOCUMENT_TYPES,
  DOCUMENT_LIMITS,
  type Document,
  type DocumentType,
  DocumentTypeSchema,
  type SubscriptionTier,
  tierStorageQuota,
} from "@nexus/contracts";
import { companies } from "@nexus/db/central";
import { documents } from "@nexus/db/tenant";
import { and, eq, isNull, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CentralDb } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";

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
