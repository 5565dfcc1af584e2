import type { Company, DatabaseConfig } from "@nexus/contracts";
import { CustomDatabaseConfigSchema } from "@nexus/contracts";
import { companies, companyDatabases, installations } from "@nexus/db/central";
import { decryptForCompany } from "@nexus/security";
import { eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { type AppEnv, type CentralDb, getConfig } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { isolateCache } from "../lib/isolate-cache.ts";

export type CompanyRow = typeof companies.$inferSelect;
export type CompanyDatabaseRow = typeof companyDatabases.$inferSelect;

export const activeInstallationCount = sql<number>`(
  SELECT count(*) FROM ${installations}
  WHERE ${installations.companyId} = ${companies.id} AND ${installations.isActive} = 1
)`;

/** The one way to find a company by its code (the apps' validate, the update feed, registration). */
export async function findCompanyByCode(db: CentralDb, companyCode: string): Promise<CompanyRow | undefined> {
  const [company] = await db.select().from(companies).where(eq(companies.companyCode, companyCode)).limit(1);
  return company;
}

export function companyNotFound(companyCode: string): ApiError {
  return new ApiError(
    "COMPANY_NOT_FOUND",
    `No company has the code ${companyCode}. Check the code with your administrator.`,
  );
}

/** Loads a company for an operator route; ids that do not exist answer 404. */
export async function getCompanyView(c: Context<AppEnv>, companyId: string): Promise<Company> {
  const [row] = await c
    .get("db")
    .select({ company: companies, active: activeInstallationCount, provider: companyDatabases.provider })
    .from(companies)
    .leftJoin(companyDatabases, eq(companyDatabases.companyId, companies.id))
    .where(eq(companies.id, companyId))
    .limit(1);
  if (!row) throw new ApiError("COMPANY_NOT_FOUND", `No company has the id ${companyId}.`);
  return toCompanyView(row.company, row.active, row.provider ?? "d1");
}

/** Why a company's installations must not run (suspended, or past its expiry), or null if they may. */
export function companyRefusal(company: CompanyRow, now = Date.now()): ApiError | null {
  if (company.suspendedAt) {
    return new ApiError(
      "COMPANY_SUSPENDED",
      "This company's account is suspended. Contact your administrator.",
      {
        action: "contact_admin",
      },
    );
  }
  if (company.expiresAt && company.expiresAt.getTime() <= now) {
    return new ApiError(
      "SUBSCRIPTION_EXPIRED",
      `This company's subscription expired on ${company.expiresAt.toISOString()}. Contact your administrator.`,
      { action: "contact_admin", expired_at: company.expiresAt.toISOString() },
    );
  }
  return null;
}

/** Refuses companies whose installations must not run: suspended, or past their expiry. */
export function assertCompanyUsable(company: CompanyRow, now = Date.now()): void {
  const refusal = companyRefusal(company, now);
  if (refusal) throw refusal;
}

/**
 * What a company's apps are told about their database: for pooled D1, where to reach it through this
 * API (never a credential); for a company's own database, its decrypted config.
 */
export async function databaseConfigFor(
  c: Context<AppEnv>,
  companyId: string,
  database: CompanyDatabaseRow,
): Promise<DatabaseConfig> {
  if (database.provider === "custom" && database.encryptedConfig) {
    const plaintext = await decryptForCompany(
      getConfig(c.env).ENCRYPTION_KEYS,
      companyId,
      database.encryptedConfig,
    );
    return CustomDatabaseConfigSchema.parse(JSON.parse(plaintext));
  }
  return {
    provider: "d1",
    api_base_url: `${new URL(c.req.url).origin}/api`,
    schema_version: database.schemaVersion ?? "unknown",
  };
}

// A company_databases row is written at registration and when a tenant migration bumps its
// schema_version, nowhere else; validate needs it on every request, so an isolate keeps it a few
// seconds (a missing row is not kept: that answer is an error).
const databaseRows = isolateCache<CompanyDatabaseRow>(5_000);

/** companyDatabaseRow, read at most every few seconds per isolate (schema_version may lag that long). */
export function cachedCompanyDatabaseRow(c: Context<AppEnv>, companyId: string): Promise<CompanyDatabaseRow> {
  return databaseRows.get(companyId, () => companyDatabaseRow(c, companyId));
}

export async function companyDatabaseRow(c: Context<AppEnv>, companyId: string): Promise<CompanyDatabaseRow> {
  const [row] = await c
    .get("db")
    .select()
    .from(companyDatabases)
    .where(eq(companyDatabases.companyId, companyId))
    .limit(1);
  if (!row)
    throw new ApiError(
      "SERVICE_UNAVAILABLE",
      "This company's database is not set up. Operators have been told.",
    );
  return row;
}

export function toCompanyView(
  row: CompanyRow,
  activeInstallations: number,
  provider: "d1" | "custom",
): Company {
  return {
    id: row.id,
    company_code: row.companyCode,
    company_name: row.companyName,
    admin_email: row.adminEmail,
    admin_phone: row.adminPhone,
    subscription_status: row.subscriptionStatus,
    subscription_tier: row.subscriptionTier as Company["subscription_tier"],
    max_users: row.maxUsers,
    max_installations: row.maxInstallations,
    active_installations: Number(activeInstallations),
    settings: row.settings,
    settings_version: row.settingsVersion,
    update_channel: row.updateChannel,
    minimum_app_version: row.minimumAppVersion,
    database_provider: provider,
    suspended: row.suspendedAt !== null,
    suspended_reason: row.suspendedReason,
    expires_at: row.expiresAt?.toISOString() ?? null,
    stripe_customer_id: row.stripeCustomerId,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
