export * as central from "./central.ts";
export { errorText } from "./error-text.ts";
export { newId } from "./ids.ts";
export {
  SEARCH_FTS_TABLES,
  SEARCH_FTS_TRIGGERS,
  SEARCH_INDEX_MIGRATION,
  SEARCH_SOURCE_ENTITY_TYPES,
  SEARCH_SOURCE_TYPES,
  type SearchSourceType,
  searchFtsDropStatements,
  searchFtsTableDrops,
  searchFtsTableStatements,
  searchFtsTriggerDrops,
  searchFtsTriggerStatements,
  searchSourceView,
} from "./search-index.ts";
export * as tenant from "./tenant.ts";
export { openTenantDatabase, TenantDatabaseError, type TenantDatabaseProblem } from "./tenant-access.ts";
export { tenantMigrations } from "./tenant-migrations.generated.ts";
export { applyTenantMigrations, latestTenantSchemaVersion } from "./tenant-migrations.ts";
export { forEachTenantCompany } from "./tenant-walk.ts";
