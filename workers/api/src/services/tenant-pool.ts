// The warm pool of tenant databases (ARCHITECTURE.md, "One D1 database per tenant"). A Worker cannot
// bind a database created at runtime, so the deployment carries TENANT_DB_* bindings ahead of need and
// registration claims a free one. The pool table is filled from the bindings lazily: when a claim finds
// nothing free, and whenever the pool status is read.
import { tenantDbPool } from "@nexus/db/central";
import { and, count, eq } from "drizzle-orm";
import type { CentralDb } from "../env.ts";
import { ApiError } from "../lib/errors.ts";

const TENANT_BINDING = /^TENANT_DB_\d+$/;
// A reservation whose registration never finished (the request died) is claimable again after this.
const STALE_RESERVATION_MS = 10 * 60 * 1000;
// D1 allows at most 100 bound parameters per statement.
const INSERT_CHUNK = 90;

export function tenantBindingNames(env: Env): string[] {
  return Object.keys(env)
    .filter((name) => TENANT_BINDING.test(name))
    .sort();
}

export function tenantBinding(env: Env, bindingName: string): D1Database {
  const binding = (env as unknown as Record<string, unknown>)[bindingName];
  if (
    !TENANT_BINDING.test(bindingName) ||
    !binding ||
    typeof binding !== "object" ||
    !("prepare" in binding)
  ) {
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      "A tenant database of this deployment is not reachable. Operators have been told.",
    );
  }
  return binding as D1Database;
}

/** Records every TENANT_DB_* binding of this deployment in the pool table (new ones as free). */
export async function syncPoolFromBindings(env: Env): Promise<void> {
  const names = tenantBindingNames(env);
  for (let i = 0; i < names.length; i += INSERT_CHUNK) {
    const chunk = names.slice(i, i + INSERT_CHUNK);
    await env.CENTRAL_DB.prepare(
      `INSERT INTO tenant_db_pool (binding_name, status) VALUES ${chunk.map(() => "(?, 'free')").join(", ")}
       ON CONFLICT (binding_name) DO NOTHING`,
    )
      .bind(...chunk)
      .run();
  }
}

function reserveStatement(env: Env, companyId: string, now: number) {
  // One statement, so two registrations can never reserve the same database: D1 runs statements
  // one at a time and the inner SELECT and the UPDATE see the same state.
  return env.CENTRAL_DB.prepare(
    `UPDATE tenant_db_pool SET status = 'reserved', company_id = ?1, reserved_at = ?2
     WHERE binding_name = (
       SELECT binding_name FROM tenant_db_pool
       WHERE status = 'free' OR (status = 'reserved' AND reserved_at < ?3)
       ORDER BY binding_name LIMIT 1
     )
     RETURNING binding_name`,
  ).bind(companyId, now, now - STALE_RESERVATION_MS);
}

/**
 * Reserves a free tenant database for a company being registered; `assignStatement` makes it the
 * company's in the registration batch, `releaseReservation` gives it back if registration fails.
 */
export async function reserveTenantDatabase(env: Env, companyId: string): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const row = await reserveStatement(env, companyId, Date.now()).first<{ binding_name: string }>();
    if (row) return row.binding_name;
    if (attempt === 0) await syncPoolFromBindings(env);
  }
  console.error(JSON.stringify({ level: "alert", event: "tenant_pool_exhausted", companyId }));
  throw new ApiError(
    "TENANT_POOL_EXHAUSTED",
    "No tenant database is free right now, so the company was not created. Operators have been alerted; try again later.",
    { action: "retry" },
    { "Retry-After": "300" },
  );
}

// Even if a stale reservation were taken over, two companies can never both get the database: the
// registration batch also inserts company_databases, whose binding_name is unique.
export function assignStatement(
  db: CentralDb,
  bindingName: string,
  companyId: string,
  schemaVersion: string,
) {
  return db
    .update(tenantDbPool)
    .set({ status: "assigned", schemaVersion })
    .where(and(eq(tenantDbPool.bindingName, bindingName), eq(tenantDbPool.companyId, companyId)));
}

export async function releaseReservation(env: Env, bindingName: string, companyId: string): Promise<void> {
  await env.CENTRAL_DB.prepare(
    `UPDATE tenant_db_pool SET status = 'free', company_id = NULL, reserved_at = NULL
     WHERE binding_name = ? AND company_id = ? AND status = 'reserved'`,
  )
    .bind(bindingName, companyId)
    .run();
}

/** Stamps the database with its owner; run after migrations, before the company exists. */
export async function stampTenantOwner(tenantDb: D1Database, companyId: string): Promise<void> {
  await tenantDb
    .prepare(
      `INSERT INTO tenant_info (id, company_id) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET company_id = excluded.company_id, claimed_at = excluded.claimed_at`,
    )
    .bind(companyId)
    .run();
}

export async function poolStatus(env: Env, db: CentralDb) {
  await syncPoolFromBindings(env);
  const rows = await db.select().from(tenantDbPool).orderBy(tenantDbPool.bindingName);
  const counts = await db
    .select({ status: tenantDbPool.status, n: count() })
    .from(tenantDbPool)
    .groupBy(tenantDbPool.status);
  const countOf = (status: string) => counts.find((row) => row.status === status)?.n ?? 0;
  return {
    bindings: tenantBindingNames(env).length,
    free: countOf("free"),
    reserved: countOf("reserved"),
    assigned: countOf("assigned"),
    databases: rows.map((row) => ({
      binding_name: row.bindingName,
      database_id: row.databaseId,
      status: row.status,
      company_id: row.companyId,
      schema_version: row.schemaVersion,
    })),
  };
}
