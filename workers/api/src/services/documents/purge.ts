// The daily purge: documents deleted longer ago than their restore window, and uploads abandoned
// past their expiry, lose their bytes in R2 and then their rows (which frees their quota). Each
// company is handled on its own, so one unreachable database does not stop the others.
import { openTenantDatabase } from "@nexus/db";
import { newId } from "../../lib/ids.ts";

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

export async function purgeDocuments(
  env: Env,
  now = Date.now(),
): Promise<{ purged: number; failed: number }> {
  const { results } = await env.CENTRAL_DB.prepare(
    "SELECT company_id FROM company_databases WHERE provider = 'd1'",
  ).all<{ company_id: string }>();
  let purged = 0;
  let failed = 0;
  for (const { company_id: companyId } of results) {
    try {
      purged += await purgeCompany(env, companyId, now);
    } catch (error) {
      failed += 1;
      console.error(
        JSON.stringify({ level: "error", event: "document_purge_failed", companyId, error: String(error) }),
      );
    }
  }
  return { purged, failed };
}
