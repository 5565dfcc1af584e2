// A declared upload's progress in the tenant database: the parts of a multipart upload received so
// far (R2 keeps the bytes, the row keeps what completing needs), and the switch to ready.
import { documentPartSize } from "@nexus/contracts";
import { documentParts, documents } from "@nexus/db/tenant";
import { asc, eq, sql } from "drizzle-orm";
import { type DocumentRow, documentOrm, loadDocument, toDocumentView } from "./library.ts";

/** How many parts the upload is cut into, and the part size every part but the last has. */
export function partPlan(row: DocumentRow): { count: number; partSize: number } {
  const partSize = documentPartSize(row.size);
  return { count: Math.ceil(row.size / partSize), partSize };
}

/** The parts received so far, in order, with what R2 needs to assemble them. */
export function receivedParts(db: D1Database, documentId: string) {
  return documentOrm(db)
    .select({ partNumber: documentParts.partNumber, size: documentParts.size, etag: documentParts.etag })
    .from(documentParts)
    .where(eq(documentParts.documentId, documentId))
    .orderBy(asc(documentParts.partNumber));
}

/** Parts received so far, and the part size every part but the last has. */
export async function partsView(db: D1Database, row: DocumentRow) {
  const parts = await receivedParts(db, row.id);
  return {
    success: true as const,
    document: toDocumentView(row),
    part_size: row.multipartUploadId ? documentPartSize(row.size) : row.size,
    parts: parts.map((part) => ({ part_number: part.partNumber, size: part.size })),
  };
}

/** Records a part R2 accepted; a part sent again replaces the earlier one. */
export async function recordPart(
  db: D1Database,
  documentId: string,
  part: { partNumber: number; size: number; etag: string },
): Promise<void> {
  await documentOrm(db)
    .insert(documentParts)
    .values({ documentId, ...part, uploadedAt: Date.now() })
    .onConflictDoUpdate({
      target: [documentParts.documentId, documentParts.partNumber],
      set: {
        size: sql`excluded.size`,
        etag: sql`excluded.etag`,
        uploadedAt: sql`excluded.uploaded_at`,
      },
    });
}

/** The upload is whole: the document becomes ready and its parts are forgotten, together. */
export async function markReady(db: D1Database, row: DocumentRow, sha256: string): Promise<DocumentRow> {
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
