// Opening a company's tenant database, for the API and for workers/consumers alike: the central
// `company_databases` row names the pooled binding; the database's own `tenant_info` row must name the
// same company (a mis-mapped binding can never serve another company's data); and a database whose
// schema is behind this deployment's tenant migrations is migrated before it is used.
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

  const row = await central
    .prepare("SELECT provider, binding_name, schema_version FROM company_databases WHERE company_id = ?")
    .bind(companyId)
    .first<{ provider: string; binding_name: string | null; schema_version: string | null }>();
  if (!row) throw new TenantDatabaseError("not_set_up", `company ${companyId} has no database`);
  if (row.provider !== "d1" || !row.binding_name) {
    throw new TenantDatabaseError("external", `company ${companyId} keeps its data in its own database`);
  }
  const db = bindingOf(bindings, row.binding_name);
  if (!db) throw new TenantDatabaseError("unreachable", `binding ${row.binding_name} is not bound here`);

  const owner = await db
    .prepare("SELECT company_id FROM tenant_info WHERE id = 1")
    .first<{ company_id: string }>()
    .catch(() => null);
  if (owner?.company_id !== companyId) {
    throw new TenantDatabaseError(
      "unreachable",
      `${row.binding_name} is not stamped for company ${companyId}`,
    );
  }
  if (row.schema_version !== latestTenantSchemaVersion) {
    const version = await applyTenantMigrations(db);
    await central.batch([
      central
        .prepare("UPDATE company_databases SET schema_version = ? WHERE company_id = ?")
        .bind(version, companyId),
      central
        .prepare("UPDATE tenant_db_pool SET schema_version = ? WHERE binding_name = ?")
        .bind(version, row.binding_name),
    ]);
  }
  opened.set(companyId, { binding: row.binding_name, db });
  return db;
}
