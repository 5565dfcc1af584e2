// `nexus tenants pool status`: how many pooled tenant databases are free, and which company has which.
import type { Fetch, TextSink } from "../io.ts";
import { formatTable } from "../io.ts";
import { getTenantPoolStatus } from "../nexus-api.ts";

export interface PoolStatusOptions {
  baseUrl: string;
  adminSecret: string;
  /** Print the API's answer as JSON instead of the table. */
  json?: boolean;
}

export interface PoolStatusDeps {
  fetch: Fetch;
  stdout: TextSink;
}

export async function poolStatus(options: PoolStatusOptions, deps: PoolStatusDeps): Promise<number> {
  const status = await getTenantPoolStatus({ ...options, fetch: deps.fetch });
  const { stdout } = deps;
  if (options.json) {
    stdout.write(`${JSON.stringify(status, null, 2)}\n`);
    return 0;
  }
  stdout.write(
    `Tenant database pool at ${options.baseUrl}\n` +
      `  bindings  ${status.bindings}\n` +
      `  free      ${status.free}\n` +
      `  reserved  ${status.reserved}\n` +
      `  assigned  ${status.assigned}\n\n`,
  );
  if (status.databases.length > 0) {
    const rows = status.databases.map((db) => [
      db.binding_name,
      db.status,
      db.company_id,
      db.schema_version,
      db.database_id,
    ]);
    stdout.write(`${formatTable(["BINDING", "STATUS", "COMPANY", "SCHEMA", "DATABASE ID"], rows)}\n`);
  }
  if (status.free === 0) {
    // Registration answers 503 TENANT_POOL_EXHAUSTED until the pool is replenished.
    stdout.write("\nThe pool is empty: registrations fail until you run `nexus tenants pool add <N>`.\n");
  }
  return 0;
}
