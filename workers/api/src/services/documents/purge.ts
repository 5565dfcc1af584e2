// The daily purge: documents deleted longer ago than their restore window, and uploads abandoned
// past their expiry, lose their bytes in R2 and then their rows (which frees their quota). Then
// the company's prefix in R2 is swept for orphans: bytes no row names (an upload whose D1 write
// failed and whose cleanup failed too, or one that lost a race with its abort). Each company is
// handled on its own, so one unreachable database does not stop the others.
import { forEachTenantCompany, openTenantDatabase } from "@nexus/db";
import { documents } from "@nexus/db/tenant";
import { and, eq, inArray, lt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Actor } from "../../env.ts";
import { systemAuditStatement } from "../audit.ts";
import { documentKey, documentOrm } from "./library.ts";

/**
 * Orphans younger than this are left alone: an upload's row is written before its bytes, but a
 * request still in flight (an abort racing a PUT) may settle either way within it.
 */
export const ORPHAN_GRACE_MS = 24 * 3_600_000;
// R2 lists and deletes at most 1,000 keys per call.
const LIST_PAGE = 1000;

const BATCH = 100;
const PURGE_ACTOR: Actor = { type: "system", id: "document-purge" };

async function purgeCompany(env: Env, companyId: string, now: number): Promise<number> {
  const orm = documentOrm(await openTenantDatabase(env, env.CENTRAL_DB, companyId));
  const central = drizzle(env.CENTRAL_DB);
  let purged = 0;
  for (;;) {
    const rows = await orm
      .select({
        id: documents.id,
        name: documents.name,
        size: documents.size,
        r2Key: documents.r2Key,
        multipartUploadId: documents.multipartUploadId,
        deletedAt: documents.deletedAt,
      })
      .from(documents)
      .where(
        or(
          lt(documents.purgeAfter, now),
          and(eq(documents.status, "uploading"), lt(documents.uploadExpiresAt, now)),
        ),
      )
      .limit(BATCH);
    const [first, ...rest] = rows;
    if (!first) return purged;
    for (const row of rows) {
      if (row.multipartUploadId) {
        await env.DOCUMENTS.resumeMultipartUpload(row.r2Key, row.multipartUploadId)
          .abort()
          .catch(() => undefined); // already completed or aborted
      }
    }
    // Bytes first: a row is only forgotten once nothing of it is left in R2.
    await env.DOCUMENTS.delete(rows.map((row) => row.r2Key));
    const forget = (row: (typeof rows)[number]) => orm.delete(documents).where(eq(documents.id, row.id));
    await orm.batch([forget(first), ...rest.map(forget)]);
    const audit = (row: (typeof rows)[number]) =>
      systemAuditStatement(central, PURGE_ACTOR, {
        companyId,
        action: row.deletedAt === null ? "document.upload_abandoned" : "document.purged",
        targetType: "document",
        targetId: row.id,
        details: { name: row.name, size: row.size },
      });
    await central.batch([audit(first), ...rest.map(audit)]);
    purged += rows.length;
  }
}

/** Deletes the company's objects older than the grace period that no document row names. */
async function sweepOrphans(env: Env, companyId: string, now: number): Promise<number> {
  const orm = documentOrm(await openTenantDatabase(env, env.CENTRAL_DB, companyId));
  const prefix = documentKey(companyId, "");
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await env.DOCUMENTS.list({ prefix, limit: LIST_PAGE, ...(cursor ? { cursor } : {}) });
    cursor = page.truncated ? page.cursor : undefined;
    const old = page.objects.filter((object) => object.uploaded.getTime() < now - ORPHAN_GRACE_MS);
    if (old.length === 0) continue;
    // Looked up by id (the primary key), then matched on the exact key the row names. The ids go
    // in as one JSON array (json_each): a page holds up to 1,000, past D1's 100 bound parameters.
    const ids = JSON.stringify(old.map((object) => object.key.slice(prefix.length)));
    const rows = await orm
      .select({ r2Key: documents.r2Key })
      .from(documents)
      .where(inArray(documents.id, sql`(SELECT value FROM json_each(${ids}))`));
    const named = new Set(rows.map((row) => row.r2Key));
    const orphans = old.filter((object) => !named.has(object.key));
    if (orphans.length === 0) continue;
    await env.DOCUMENTS.delete(orphans.map((object) => object.key));
    deleted += orphans.length;
    console.log(
      JSON.stringify({
        level: "info",
        event: "document_orphans_deleted",
        companyId,
        count: orphans.length,
        bytes: orphans.reduce((sum, object) => sum + object.size, 0),
      }),
    );
  } while (cursor);
  return deleted;
}

export async function purgeDocuments(
  env: Env,
  now = Date.now(),
): Promise<{ purged: number; orphans: number; failed: number }> {
  let purged = 0;
  let orphans = 0;
  const { failed } = await forEachTenantCompany(env.CENTRAL_DB, "document_purge", async (companyId) => {
    purged += await purgeCompany(env, companyId, now);
    orphans += await sweepOrphans(env, companyId, now);
  });
  return { purged, orphans, failed };
}
