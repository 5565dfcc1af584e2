// The company's document library: declare an upload (type, size and quota checked, space reserved),
// send the bytes in one PUT or in parts (resumable), then list, download, rename, link, delete and
// restore. Metadata lives in the company's tenant database, bytes in the DOCUMENTS bucket.
import { DOCUMENT_LIMITS, documentPartSize, routes } from "@nexus/contracts";
import { documentParts, documents } from "@nexus/db/tenant";
import { and, asc, desc, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { bodyLength } from "../../lib/body-length.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, pageOf, validParams, validQuery } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import {
  companyStorage,
  type DocumentRow,
  documentKey,
  documentOrm,
  loadDocument,
  quotaExceeded,
  requireUploading,
  toDocumentView,
  usedBytes,
} from "../../services/documents/library.ts";
import { documentLinkUrl } from "../../services/documents/links.ts";
import { documentScopeUser, libraryOnly, requireAssignedJob } from "../../services/documents/scope.ts";
import { serveDocument } from "../../services/documents/serve.ts";
import { contentTypeOf, typeOfName } from "../../services/documents/sniff.ts";
import { recordOrDiscard, storedSha256, streamChecked } from "../../services/documents/upload.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const {
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
} = routes;

const DAY_MS = 86_400_000;

function audit(c: Context<AppEnv>, companyId: string, action: string, row: DocumentRow, details = {}) {
  return auditStatement(c, {
    companyId,
    action,
    targetType: "document",
    targetId: row.id,
    details: { name: row.name, size: row.size, ...details },
  });
}

/** The company's allowed type for `name`, or a 415 naming what is allowed. */
async function allowedTypeOf(c: Context<AppEnv>, companyId: string, name: string) {
  const storage = await companyStorage(c.get("db"), companyId);
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

/** Parts received so far, and the part size every part but the last has. */
async function partsView(db: D1Database, row: DocumentRow) {
  const parts = await documentOrm(db)
    .select({ part_number: documentParts.partNumber, size: documentParts.size })
    .from(documentParts)
    .where(eq(documentParts.documentId, row.id))
    .orderBy(asc(documentParts.partNumber));
  const partSize = row.multipartUploadId ? documentPartSize(row.size) : row.size;
  return { success: true as const, document: toDocumentView(row), part_size: partSize, parts };
}

async function markReady(db: D1Database, row: DocumentRow, sha256: string) {
  const orm = documentOrm(db);
  await orm.batch([
    orm
      .update(documents)
      .set({ status: "ready", sha256, multipartUploadId: null, uploadExpiresAt: null, updatedAt: Date.now() })
      .where(eq(documents.id, row.id)),
    orm.delete(documentParts).where(eq(documentParts.documentId, row.id)),
  ]);
  return loadDocument(db, row.id);
}

async function checksumMismatch(
  bucket: R2Bucket,
  key: string,
  declared: string,
  actual: string,
): Promise<never> {
  await bucket.delete(key);
  throw new ApiError(
    "CHECKSUM_MISMATCH",
    "The bytes received do not match the declared sha256; nothing was stored. Send the file again.",
    { declared_sha256: declared, received_sha256: actual },
  );
}

/**
 * Before any route on one document: a restricted caller only reaches their jobs' documents, an
 * installation only the library's (a project's document does not exist for it).
 */
const documentInScope: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { companyId = "", documentId = "" } = c.req.param() as Record<string, string | undefined>;
  const userId = await documentScopeUser(c, companyId);
  if (userId || libraryOnly(c)) {
    const db = await tenantDatabase(c.env, companyId);
    const row = await db
      .prepare("SELECT project_id FROM documents WHERE id = ?")
      .bind(documentId)
      .first<{ project_id: string | null }>();
    const notFound = new ApiError("DOCUMENT_NOT_FOUND", `This company has no document ${documentId}.`);
    if (userId) await requireAssignedJob(db, userId, row?.project_id ?? null, notFound);
    else if (row?.project_id) throw notFound;
  }
  await next();
};

/** Installations add to the company library only: a project's documents are its members' to add. */
function projectNotForInstallations(): ApiError {
  return new ApiError(
    "PROJECT_NOT_FOUND",
    "Installations reach the company library only: leave out project_id. A project's documents are added by a signed-in member assigned to it.",
  );
}

export const documentAdminRoutes = new Hono<AppEnv>()
  .post(
    honoPath(createDocument.path),
    validParams(createDocument.params),
    jsonBody(createDocument.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const input = c.req.valid("json");
      const { type, storage } = await allowedTypeOf(c, companyId, input.name);
      if (!input.multipart && input.size > DOCUMENT_LIMITS.maxSingleUploadBytes) {
        throw new ApiError(
          "PAYLOAD_TOO_LARGE",
          `Files over ${DOCUMENT_LIMITS.maxSingleUploadBytes} bytes are uploaded in parts: declare them with "multipart": true.`,
          { max_bytes: DOCUMENT_LIMITS.maxSingleUploadBytes },
        );
      }
      const db = await tenantDatabase(c.env, companyId);
      const scopeUser = await documentScopeUser(c, companyId);
      if (scopeUser) {
        const notAssigned = new ApiError(
          "PROJECT_NOT_FOUND",
          "Attach the document to one of your jobs (project_id).",
        );
        await requireAssignedJob(db, scopeUser, input.project_id ?? null, notAssigned);
      }
      if (input.project_id && libraryOnly(c)) throw projectNotForInstallations();
      const id = newId();
      const key = documentKey(companyId, id);
      const upload = input.multipart ? await c.env.DOCUMENTS.createMultipartUpload(key) : null;
      const actor = c.get("actor");
      const now = Date.now();
      // Reserved only if it fits: the sum and the insert are one statement, so racing uploads cannot
      // overshoot the quota together.
      const inserted = await db
        .prepare(
          `INSERT INTO documents (id, name, type, content_type, size, sha256, status, r2_key, multipart_upload_id, tags,
           machine_id, project_id, uploaded_by_type, uploaded_by_id, created_at, updated_at, upload_expires_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, 'uploading', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15
         WHERE (SELECT coalesce(sum(size), 0) FROM documents) + ?5 <= ?16`,
        )
        .bind(
          id,
          input.name,
          type,
          contentTypeOf(input.name, type),
          input.size,
          input.sha256 ?? null,
          key,
          upload?.uploadId ?? null,
          JSON.stringify(input.tags),
          input.machine_id ?? null,
          input.project_id ?? null,
          actor.type,
          actor.id,
          now,
          now + DOCUMENT_LIMITS.uploadExpiryHours * 3_600_000,
          storage.quotaBytes,
        )
        .run()
        .catch(async (error: unknown) => {
          // Without its row the multipart upload is nobody's: nothing could ever complete or abort it.
          await upload?.abort().catch(() => undefined);
          throw error;
        });
      if ((inserted.meta.changes ?? 0) === 0) {
        await upload?.abort();
        throw quotaExceeded(storage, await usedBytes(db), input.size);
      }
      return c.json(await partsView(db, await loadDocument(db, id)), 201);
    },
  )
  .put(
    honoPath(uploadDocumentContent.path),
    validParams(uploadDocumentContent.params),
    documentInScope,
    async (c) => {
      const { companyId, documentId } = c.req.valid("param");
      const db = await tenantDatabase(c.env, companyId);
      const row = await loadDocument(db, documentId);
      requireUploading(row, false);
      const length = bodyLength(c, {
        exact: row.size,
        max: DOCUMENT_LIMITS.maxSingleUploadBytes,
        tooLarge: `At most ${DOCUMENT_LIMITS.maxSingleUploadBytes} bytes in one PUT; declare larger files with "multipart": true.`,
      });
      const bucket = c.env.DOCUMENTS;
      const sha256 = await streamChecked(
        c.req.raw.body as ReadableStream<Uint8Array>,
        length,
        { name: row.name, type: row.type as never },
        (stream) => bucket.put(row.r2Key, stream, { httpMetadata: { contentType: row.contentType } }),
      );
      if (row.sha256 && row.sha256 !== sha256) await checksumMismatch(bucket, row.r2Key, row.sha256, sha256);
      const ready = await recordOrDiscard(bucket, row.r2Key, () => markReady(db, row, sha256));
      await audit(c, companyId, "document.uploaded", ready, { sha256 });
      return c.json({ success: true as const, document: toDocumentView(ready) });
    },
  )
  .put(
    honoPath(uploadDocumentPart.path),
    validParams(uploadDocumentPart.params),
    documentInScope,
    async (c) => {
      const { companyId, documentId, partNumber } = c.req.valid("param");
      const db = await tenantDatabase(c.env, companyId);
      const row = await loadDocument(db, documentId);
      requireUploading(row, true);
      const partSize = documentPartSize(row.size);
      const count = Math.ceil(row.size / partSize);
      if (partNumber > count) {
        throw new ApiError(
          "VALIDATION_FAILED",
          `This upload has ${count} parts of ${partSize} bytes; there is no part ${partNumber}.`,
          {
            parts: count,
            part_size: partSize,
          },
        );
      }
      const exact = partNumber < count ? partSize : row.size - partSize * (count - 1);
      const length = bodyLength(c, { exact, max: DOCUMENT_LIMITS.maxPartBytes });
      const upload = c.env.DOCUMENTS.resumeMultipartUpload(row.r2Key, row.multipartUploadId ?? "");
      let etag = "";
      await streamChecked(
        c.req.raw.body as ReadableStream<Uint8Array>,
        length,
        // The first part starts the file: its bytes must match the name's type.
        partNumber === 1 ? { name: row.name, type: row.type as never } : null,
        async (stream) => {
          etag = (await upload.uploadPart(partNumber, stream)).etag;
        },
      );
      await db
        .prepare(
          `INSERT INTO document_parts (document_id, part_number, size, etag, uploaded_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (document_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag, uploaded_at = excluded.uploaded_at`,
        )
        .bind(row.id, partNumber, length, etag, Date.now())
        .run();
      return c.json(await partsView(db, row));
    },
  )
  .get(
    honoPath(listDocumentParts.path),
    validParams(listDocumentParts.params),
    documentInScope,
    async (c) => {
      const { companyId, documentId } = c.req.valid("param");
      const db = await tenantDatabase(c.env, companyId);
      return c.json(await partsView(db, await loadDocument(db, documentId)));
    },
  )
  .post(
    honoPath(completeDocumentUpload.path),
    validParams(completeDocumentUpload.params),
    documentInScope,
    async (c) => {
      const { companyId, documentId } = c.req.valid("param");
      const db = await tenantDatabase(c.env, companyId);
      const row = await loadDocument(db, documentId);
      requireUploading(row, true);
      const { parts } = await partsView(db, row);
      const count = Math.ceil(row.size / documentPartSize(row.size));
      const missing = Array.from({ length: count }, (_, i) => i + 1).filter(
        (n) => !parts.some((part) => part.part_number === n),
      );
      if (missing.length > 0) {
        throw new ApiError(
          "DOCUMENT_STATE_CONFLICT",
          `Send every part before completing; missing: ${missing.join(", ")}.`,
          {
            missing_parts: missing,
          },
        );
      }
      const etags = await documentOrm(db)
        .select({ partNumber: documentParts.partNumber, etag: documentParts.etag })
        .from(documentParts)
        .where(eq(documentParts.documentId, row.id))
        .orderBy(asc(documentParts.partNumber));
      const bucket = c.env.DOCUMENTS;
      await bucket.resumeMultipartUpload(row.r2Key, row.multipartUploadId ?? "").complete(etags);
      const sha256 = await storedSha256(bucket, row.r2Key);
      if (row.sha256 && row.sha256 !== sha256) {
        // The parts are gone with the completed object: the upload starts over.
        await documentOrm(db).delete(documents).where(eq(documents.id, row.id));
        await checksumMismatch(bucket, row.r2Key, row.sha256, sha256);
      }
      const ready = await recordOrDiscard(bucket, row.r2Key, () => markReady(db, row, sha256));
      await audit(c, companyId, "document.uploaded", ready, { sha256, parts: count });
      return c.json({ success: true as const, document: toDocumentView(ready) });
    },
  )
  .delete(
    honoPath(abortDocumentUpload.path),
    validParams(abortDocumentUpload.params),
    documentInScope,
    async (c) => {
      const { companyId, documentId } = c.req.valid("param");
      const db = await tenantDatabase(c.env, companyId);
      const row = await loadDocument(db, documentId);
      if (row.status !== "uploading") {
        throw new ApiError("DOCUMENT_STATE_CONFLICT", "This document is uploaded; delete it instead.");
      }
      if (row.multipartUploadId) {
        await c.env.DOCUMENTS.resumeMultipartUpload(row.r2Key, row.multipartUploadId).abort();
      }
      await c.env.DOCUMENTS.delete(row.r2Key);
      await documentOrm(db).delete(documents).where(eq(documents.id, row.id));
      return c.json({ success: true as const, document: toDocumentView(row) });
    },
  )
  .get(
    honoPath(listDocuments.path),
    validParams(listDocuments.params),
    validQuery(listDocuments.query),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const query = c.req.valid("query");
      const db = await tenantDatabase(c.env, companyId);
      const scopeUser = await documentScopeUser(c, companyId);
      const rows = await documentOrm(db)
        .select()
        .from(documents)
        .where(
          and(
            query.deleted === "true" ? isNotNull(documents.deletedAt) : isNull(documents.deletedAt),
            query.type ? eq(documents.type, query.type) : undefined,
            query.machine_id ? eq(documents.machineId, query.machine_id) : undefined,
            query.project_id ? eq(documents.projectId, query.project_id) : undefined,
            query.uploaded_by ? eq(documents.uploadedById, query.uploaded_by) : undefined,
            query.tag
              ? sql`EXISTS (SELECT 1 FROM json_each(${documents.tags}) WHERE value = ${query.tag})`
              : undefined,
            query.cursor ? lt(documents.id, query.cursor) : undefined,
            scopeUser
              ? sql`${documents.projectId} IN (SELECT project_id FROM project_assignments WHERE user_id = ${scopeUser})`
              : undefined,
            libraryOnly(c) ? isNull(documents.projectId) : undefined,
          ),
        )
        .orderBy(desc(documents.id))
        .limit(query.limit + 1);
      const page = pageOf(rows, query.limit);
      const storage = await companyStorage(c.get("db"), companyId);
      return c.json({
        success: true as const,
        documents: page.items.map(toDocumentView),
        next_cursor: page.nextCursor,
        usage: { used_bytes: await usedBytes(db), quota_bytes: storage.quotaBytes },
      });
    },
  )
  .get(honoPath(getDocument.path), validParams(getDocument.params), documentInScope, async (c) => {
    const { companyId, documentId } = c.req.valid("param");
    const db = await tenantDatabase(c.env, companyId);
    return c.json({ success: true as const, document: toDocumentView(await loadDocument(db, documentId)) });
  })
  .on(
    ["GET", "HEAD"],
    honoPath(downloadDocument.path),
    validParams(downloadDocument.params),
    documentInScope,
    async (c) => {
      const { companyId, documentId } = c.req.valid("param");
      const db = await tenantDatabase(c.env, companyId);
      return serveDocument(c, await loadDocument(db, documentId));
    },
  )
  .patch(
    honoPath(updateDocument.path),
    validParams(updateDocument.params),
    documentInScope,
    jsonBody(updateDocument.body),
    async (c) => {
      const { companyId, documentId } = c.req.valid("param");
      const input = c.req.valid("json");
      const db = await tenantDatabase(c.env, companyId);
      const row = await loadDocument(db, documentId);
      // Moving a document into a project is writing to that project: the caller must reach it.
      if (input.project_id !== undefined) {
        if (libraryOnly(c)) throw projectNotForInstallations();
        const scopeUser = await documentScopeUser(c, companyId);
        if (scopeUser) {
          const notAssigned = new ApiError(
            "PROJECT_NOT_FOUND",
            "Move the document to one of your jobs only.",
          );
          await requireAssignedJob(db, scopeUser, input.project_id, notAssigned);
        }
      }
      // A new name keeps the type: renaming cannot turn a PDF into an executable's name.
      if (input.name !== undefined && typeOfName(input.name) !== row.type) {
        throw new ApiError(
          "DOCUMENT_TYPE_NOT_ALLOWED",
          `A ${row.type} document keeps a ${row.type} extension; ${input.name} does not have one.`,
        );
      }
      await documentOrm(db)
        .update(documents)
        .set({
          name: input.name,
          tags: input.tags,
          machineId: input.machine_id,
          projectId: input.project_id,
          updatedAt: Date.now(),
        })
        .where(eq(documents.id, row.id));
      const updated = await loadDocument(db, documentId);
      await audit(c, companyId, "document.updated", updated, { changes: input });
      return c.json({ success: true as const, document: toDocumentView(updated) });
    },
  )
  .delete(honoPath(deleteDocument.path), validParams(deleteDocument.params), documentInScope, async (c) => {
    const { companyId, documentId } = c.req.valid("param");
    const db = await tenantDatabase(c.env, companyId);
    const row = await loadDocument(db, documentId);
    if (row.status !== "ready") {
      throw new ApiError(
        "DOCUMENT_STATE_CONFLICT",
        "This upload is unfinished; abort it (DELETE …/upload) instead.",
      );
    }
    const now = Date.now();
    await documentOrm(db)
      .update(documents)
      .set({ deletedAt: now, purgeAfter: now + DOCUMENT_LIMITS.restoreWindowDays * DAY_MS, updatedAt: now })
      .where(eq(documents.id, row.id));
    const deleted = await loadDocument(db, documentId, { deleted: true });
    await audit(c, companyId, "document.deleted", deleted);
    return c.json({ success: true as const, document: toDocumentView(deleted) });
  })
  .post(honoPath(restoreDocument.path), validParams(restoreDocument.params), documentInScope, async (c) => {
    const { companyId, documentId } = c.req.valid("param");
    const db = await tenantDatabase(c.env, companyId);
    const row = await loadDocument(db, documentId, { deleted: true });
    if (row.deletedAt !== null) {
      await documentOrm(db)
        .update(documents)
        .set({ deletedAt: null, purgeAfter: null, updatedAt: Date.now() })
        .where(eq(documents.id, row.id));
      await audit(c, companyId, "document.restored", row);
    }
    return c.json({ success: true as const, document: toDocumentView(await loadDocument(db, documentId)) });
  })
  .post(
    honoPath(createDocumentLink.path),
    validParams(createDocumentLink.params),
    documentInScope,
    jsonBody(createDocumentLink.body),
    async (c) => {
      const { companyId, documentId } = c.req.valid("param");
      const { expires_in_seconds } = c.req.valid("json");
      const db = await tenantDatabase(c.env, companyId);
      const row = await loadDocument(db, documentId);
      if (row.status !== "ready")
        throw new ApiError("DOCUMENT_NOT_FOUND", "This document's upload is unfinished.");
      const expires = Math.floor(Date.now() / 1000) + expires_in_seconds;
      const url = await documentLinkUrl(getConfig(c.env), companyId, row.id, expires);
      await audit(c, companyId, "document.link_created", row, {
        expires_at: new Date(expires * 1000).toISOString(),
      });
      return c.json({ success: true as const, url, expires_at: new Date(expires * 1000).toISOString() });
    },
  );
