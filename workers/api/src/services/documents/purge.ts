// The daily purge: documents deleted longer ago than their restore window, and uploads abandoned
// past their expiry, lose their bytes in R2 and then their rows (which frees their quota). Then
// the company's prefix in R2 is swept for orphans: bytes no row names (an upload whose D1 write
// failed and whose cleanup failed too, or one that lost a race with its abort). Each company is
// handled on its own, so one unreachable database does not stop the others.
import { openTenantDatabase } from "@nexus/db";
import { newId } from "../../lib/ids.ts";
import { documentKey } from "./library.ts";

/**
 * Orphans younger than this are left alone: an upload's row is written before its bytes, but a
 * request still in flight (an abort racing a PUT) may settle either way within it.
 */
export const ORPHAN_GRACE_MS = 24 * 3_600_000;
// R2 lists and deletes at most 1,000 keys per call.
const LIST_PAGE = 1000;

interface Purgeable {
  id: string;
  name: string;
  size: number;
  r2_key: string;
  multipart_upload_id: string | null;
  deleted_at: number | null;
}

const BATCH = 100;

async function purgeCompany(env: Env, companyId: string, now: number): Promise<number> {
  const db = await openTenantDatabase(env, env.CENTRAL_DB, companyId);
  let purged = 0;
  for (;;) {
    const { results } = await db
      .prepare(
        `SELECT id, name, size, r2_key, multipart_upload_id, deleted_at FROM documents
         WHERE purge_after < ?1 OR (status = 'uploading' AND upload_expires_at < ?1) LIMIT ?2`,
      )
      .bind(now, BATCH)
      .all<Purgeable>();
    if (results.length === 0) return purged;
    for (const row of results) {
      if (row.multipart_upload_id) {
        await env.DOCUMENTS.resumeMultipartUpload(row.r2_key, row.multipart_upload_id)
          .abort()
          .catch(() => undefined); // already completed or aborted
      }
    }
    // Bytes first: a row is only forgotten once nothing of it is left in R2.
    await env.DOCUMENTS.delete(results.map((row) => row.r2_key));
    await db.batch(results.map((row) => db.prepare("DELETE FROM documents WHERE id = ?").bind(row.id)));
    await env.CENTRAL_DB.batch(
      results.map((row) =>
        env.CENTRAL_DB.prepare(
          `INSERT INTO audit_logs (id, company_id, actor_type, actor_id, action, target_type, target_id, details, created_at)
           VALUES (?, ?, 'system', 'document-purge', ?, 'document', ?, ?, ?)`,
        ).bind(
          newId(now),
          companyId,
          row.deleted_at === null ? "document.upload_abandoned" : "document.purged",
          row.id,
          JSON.stringify({ name: row.name, size: row.size }),
          now,
        ),
      ),
    );
    purged += results.length;
  }
}

/** Deletes the company's objects older than the grace period that no document row names. */
async function sweepOrphans(env: Env, companyId: string, now: number): Promise<number> {
  const db = await openTenantDatabase(env, env.CENTRAL_DB, companyId);
  const prefix = documentKey(companyId, "");
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await env.DOCUMENTS.list({ prefix, limit: LIST_PAGE, ...(cursor ? { cursor } : {}) });
    cursor = page.truncated ? page.cursor : undefined;
    const old = page.objects.filter((object) => object.uploaded.getTime() < now - ORPHAN_GRACE_MS);
    if (old.length === 0) continue;
    // Looked up by id (the primary key), then matched on the exact key the row names.
    const { results } = await db
      .prepare("SELECT r2_key FROM documents WHERE id IN (SELECT value FROM json_each(?1))")
      .bind(JSON.stringify(old.map((object) => object.key.slice(prefix.length))))
      .all<{ r2_key: string }>();
    const named = new Set(results.map((row) => row.r2_key));
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
  const { results } = await env.CENTRAL_DB.prepare(
    "SELECT company_id FROM company_databases WHERE provider = 'd1'",
  ).all<{ company_id: string }>();
  let purged = 0;
  let orphans = 0;
  let failed = 0;
  for (const { company_id: companyId } of results) {
    try {
      purged += await purgeCompany(env, companyId, now);
      orphans += await sweepOrphans(env, companyId, now);
    } catch (error) {
      failed += 1;
      console.error(
        JSON.stringify({ level: "error", event: "document_purge_failed", companyId, error: String(error) }),
      );
    }
  }
  return { purged, orphans, failed };
}
