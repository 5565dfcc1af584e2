// The warm pool of tenant databases (ARCHITECTURE.md, "One D1 database per tenant"). A Worker cannot
// bind a database created at runtime, so the deployment carries TENANT_DB_* bindings ahead of need and
// registration claims a free one. The pool table is filled from the bindings lazily: when a claim finds
// nothing free, and whenever the pool status is read.
import { tenantDbPool } from "@nexus/db/central";
import { tenantInfo } from "@nexus/db/tenant";
import { and, asc, count, eq, lt, or } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { CentralDb } from "../env.ts";
import { ApiError } from "../lib/errors.ts";

const TENANT_BINDING = /^TENANT_DB_\d+$/;
// A reservation whose registration never finished (the request died) is claimable again after this.
const STALE_RESERVATION_MS = 10 * 60 * 1000;
// D1 allows at most 100 bound parameters per statement; each row binds two (name and status).
const INSERT_CHUNK = 45;

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
  const db = drizzle(env.CENTRAL_DB);
  for (let i = 0; i < names.length; i += INSERT_CHUNK) {
    await db
      .insert(tenantDbPool)
      .values(
        names.slice(i, i + INSERT_CHUNK).map((bindingName) => ({ bindingName, status: "free" as const })),
      )
      .onConflictDoNothing({ target: tenantDbPool.bindingName });
  }
}

function reserveStatement(env: Env, companyId: string, now: number) {
  // One statement, so two registrations can never reserve the same database: D1 runs statements
  // one at a time and the inner SELECT and the UPDATE see the same state.
  const db = drizzle(env.CENTRAL_DB);
  const claimable = db
    .select({ bindingName: tenantDbPool.bindingName })
    .from(tenantDbPool)
    .where(
      or(
        eq(tenantDbPool.status, "free"),
        and(
          eq(tenantDbPool.status, "reserved"),
          lt(tenantDbPool.reservedAt, new Date(now - STALE_RESERVATION_MS)),
        ),
      ),
    )
    .orderBy(asc(tenantDbPool.bindingName))
    .limit(1);
  return db
    .update(tenantDbPool)
    .set({ status: "reserved", companyId, reservedAt: new Date(now) })
    .where(eq(tenantDbPool.bindingName, claimable))
    .returning({ bindingName: tenantDbPool.bindingName });
}

/**
 * Reserves a free tenant database for a company being registered; `assignStatement` makes it the
 * company's in the registration batch, `releaseReservation` gives it back if registration fails.
 */
export async function reserveTenantDatabase(env: Env, companyId: string): Promise<string> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const [row] = await reserveStatement(env, companyId, Date.now());
    if (row) return row.bindingName;
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
  await drizzle(env.CENTRAL_DB)
    .update(tenantDbPool)
    .set({ status: "free", companyId: null, reservedAt: null })
    .where(
      and(
        eq(tenantDbPool.bindingName, bindingName),
        eq(tenantDbPool.companyId, companyId),
        eq(tenantDbPool.status, "reserved"),
      ),
    );
}

/** Stamps the database with its owner; run after migrations, before the company exists. */
export async function stampTenantOwner(tenantDb: D1Database, companyId: string): Promise<void> {
  const owner = { companyId, claimedAt: new Date() };
  await drizzle(tenantDb)
    .insert(tenantInfo)
    .values({ id: 1, ...owner })
    .onConflictDoUpdate({ target: tenantInfo.id, set: owner });
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
