// The API's door to a company's tenant database: @nexus/db's openTenantDatabase, with its problems
// turned into error envelopes an admin can act on (and an alert for operators when it is ours).
import { openTenantDatabase, TenantDatabaseError } from "@nexus/db";
import { ApiError } from "../lib/errors.ts";

export async function tenantDatabase(env: Env, companyId: string): Promise<D1Database> {
  try {
    return await openTenantDatabase(env, env.CENTRAL_DB, companyId);
  } catch (error) {
    if (!(error instanceof TenantDatabaseError)) throw error;
    if (error.problem === "external") {
      throw new ApiError(
        "TENANT_DATABASE_EXTERNAL",
        "This company keeps its data in its own database, so Nexus Central holds no machines or telemetry for it.",
      );
    }
    if (error.problem === "not_set_up") {
      throw new ApiError(
        "COMPANY_NOT_FOUND",
        "This company does not exist or its registration did not finish.",
      );
    }
    console.error(
      JSON.stringify({
        level: "alert",
        event: "tenant_database_unreachable",
        companyId,
        detail: error.message,
      }),
    );
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      "This company's database cannot be reached right now. Operators have been told; try again later.",
      { action: "retry" },
    );
  }
}
