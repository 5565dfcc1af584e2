export * as central from "./central.ts";
export { errorText } from "./error-text.ts";
export { newId } from "./ids.ts";
export * as tenant from "./tenant.ts";
export { openTenantDatabase, TenantDatabaseError, type TenantDatabaseProblem } from "./tenant-access.ts";
export { tenantMigrations } from "./tenant-migrations.generated.ts";
export { applyTenantMigrations, latestTenantSchemaVersion } from "./tenant-migrations.ts";
export { forEachTenantCompany } from "./tenant-walk.ts";
