// Opening a company's tenant database, for the API and for workers/consumers alike: the central
// `company_databases` row names the pooled binding; the database's own `tenant_info` row must name the
// same company (a mis-mapped binding can never serve another company's data); and a database whose
// schema is behind this deployment's tenant migrations is migrated before it is used.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { companyDatabases, tenantDbPool } from "./central.ts";
import { tenantInfo } from "./tenant.ts";
import { applyTenantMigrations, latestTenantSchemaVersion } from "./tenant-migrations.ts";

export type TenantDatabaseProblem =
  /** No company_databases row: the company does not exist or its registration never finished. */
  | "not_set_up"
  /** The company keeps its data in its own database (provider `custom`). */
  | "external"
  /** The row names a binding this deployment does not have, or the database belongs to another company. */
  | "unreachable";

export class TenantDatabaseError extends Error {
  readonly problem: TenantDatabaseProblem;

  constructor(problem: TenantDatabaseProblem, message: string) {
    super(message);
    this.problem = problem;
    this.name = "TenantDatabaseError";
  }
}

const TENANT_BINDING = /^TENANT_DB_\d+$/;

/** Databases already checked (owner and schema) in this isolate, by company id. */
const opened = new Map<string, { binding: string; db: D1Database }>();

function bindingOf(bindings: object, name: string): D1Database | null {
  const value = (bindings as Record<string, unknown>)[name];
  return TENANT_BINDING.test(name) && value && typeof value === "object" && "prepare" in value
    ? (value as D1Database)
    : null;
}

/**
 * The company's tenant database. `bindings` is the worker's env (it holds the TENANT_DB_* pool);
 * `central` its CENTRAL_DB. Throws TenantDatabaseError when it cannot be used.
 */
export async function openTenantDatabase(
  bindings: object,
  central: D1Database,
  companyId: string,
): Promise<D1Database> {
  const cached = opened.get(companyId);
  if (cached && bindingOf(bindings, cached.binding) === cached.db) return cached.db;

  const orm = drizzle(central);
  const [row] = await orm
    .select({
      provider: companyDatabases.provider,
      bindingName: companyDatabases.bindingName,
      schemaVersion: companyDatabases.schemaVersion,
    })
    .from(companyDatabases)
    .where(eq(companyDatabases.companyId, companyId))
    .limit(1);
  if (!row) throw new TenantDatabaseError("not_set_up", `company ${companyId} has no database`);
  if (row.provider !== "d1" || !row.bindingName) {
    throw new TenantDatabaseError("external", `company ${companyId} keeps its data in its own database`);
  }
  const bindingName = row.bindingName;
  const db = bindingOf(bindings, bindingName);
  if (!db) throw new TenantDatabaseError("unreachable", `binding ${bindingName} is not bound here`);

  // A database not migrated yet has no tenant_info table: that, too, means it is not this company's.
  const [owner] = await drizzle(db)
    .select({ companyId: tenantInfo.companyId })
    .from(tenantInfo)
    .where(eq(tenantInfo.id, 1))
    .catch(() => []);
  if (owner?.companyId !== companyId) {
    throw new TenantDatabaseError("unreachable", `${bindingName} is not stamped for company ${companyId}`);
  }
  if (row.schemaVersion !== latestTenantSchemaVersion) {
    const version = await applyTenantMigrations(db);
    await orm.batch([
      orm
        .update(companyDatabases)
        .set({ schemaVersion: version })
        .where(eq(companyDatabases.companyId, companyId)),
      orm
        .update(tenantDbPool)
        .set({ schemaVersion: version })
        .where(eq(tenantDbPool.bindingName, bindingName)),
    ]);
  }
  opened.set(companyId, { binding: bindingName, db });
  return db;
}
