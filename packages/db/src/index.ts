export * as central from "./central.ts";
export * as tenant from "./tenant.ts";
export { tenantMigrations } from "./tenant-migrations.generated.ts";
