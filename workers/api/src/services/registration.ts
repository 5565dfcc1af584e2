// Company registration: who may register, and creating the company with its own database in a way
// that leaves nothing half-made. D1 has no interactive transactions, so the steps that must hold
// together go into one `batch`, and the steps before it (token use, database reservation) are undone
// if the batch does not land.
import { type RegisterRequestSchema, type RegisterResponse, tierLimits } from "@nexus/contracts";
import { applyTenantMigrations } from "@nexus/db";
import { companies, companyDatabases, registrationTokens } from "@nexus/db/central";
import { encryptForCompany, sha256Hex } from "@nexus/security";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import { type AppEnv, getConfig } from "../env.ts";
import { isUniqueViolation } from "../lib/d1-errors.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { bearerToken, isAdminSecret } from "../middleware/auth.ts";
import { auditStatement } from "./audit.ts";
import { databaseConfigFor } from "./companies.ts";
import { generateCompanyCode } from "./company-codes.ts";
import { completeIdempotentStatement, type IdempotencySlot } from "./idempotency.ts";
import { organizationStatements, sendOwnerInvitation } from "./organizations.ts";
import { limitAnonymous } from "./rate-limits.ts";
import {
  assignStatement,
  releaseReservation,
  reserveTenantDatabase,
  stampTenantOwner,
  tenantBinding,
} from "./tenant-pool.ts";

type RegisterInput = z.output<typeof RegisterRequestSchema>;

const TRIAL_DAYS = 14;
const CODE_ATTEMPTS = 5;

/**
 * Decides who is registering: an operator (admin secret), the holder of a registration token, or —
 * only when REGISTRATION_MODE=open — an anonymous trial. Sets the request's actor.
 */
export async function authorizeRegistration(
  c: Context<AppEnv>,
  input: RegisterInput,
): Promise<{ tokenId: string | null }> {
  const token = bearerToken(c);
  if (token && (await isAdminSecret(c, token))) {
    c.set("actor", { type: "operator", id: "admin-secret" });
    return { tokenId: null };
  }
  await limitAnonymous(c, "register");
  if (input.company_code !== undefined) {
    throw new ApiError(
      "FORBIDDEN",
      "Only operators can choose a company code; leave company_code out to get one.",
    );
  }
  if (token) {
    const [row] = await c
      .get("db")
      .select({ id: registrationTokens.id })
      .from(registrationTokens)
      .where(
        and(
          eq(registrationTokens.tokenHash, await sha256Hex(token)),
          isNull(registrationTokens.usedAt),
          isNull(registrationTokens.revokedAt),
          gt(registrationTokens.expiresAt, new Date()),
        ),
      )
      .limit(1);
    if (!row) throw invalidToken();
    c.set("actor", { type: "registration_token", id: row.id });
    return { tokenId: row.id };
  }
  if (getConfig(c.env).REGISTRATION_MODE === "open") return { tokenId: null };
  throw new ApiError(
    "UNAUTHORIZED",
    "Registering a company needs `Authorization: Bearer <registration token>`. Ask your Nexus operator for one.",
    undefined,
    { "WWW-Authenticate": 'Bearer realm="nexus-central"' },
  );
}

function invalidToken(): ApiError {
  return new ApiError(
    "REGISTRATION_TOKEN_INVALID",
    "The registration token is unknown, expired or already used. Ask your Nexus operator for a new one.",
  );
}

/** Creates the company, its database and the audit row; returns the 201 body. */
export async function createCompany(
  c: Context<AppEnv>,
  input: RegisterInput,
  tokenId: string | null,
  slot: IdempotencySlot | null,
): Promise<RegisterResponse> {
  const db = c.get("db");
  const config = getConfig(c.env);
  const companyId = newId();
  const now = new Date();
  const undo: (() => Promise<unknown>)[] = [];

  try {
    if (tokenId) {
      // Spend the token first: of two concurrent registrations with one token, only one gets past here.
      const spent = await db
        .update(registrationTokens)
        .set({ usedAt: now })
        // Revoked between the check and here: refused as well.
        .where(
          and(
            eq(registrationTokens.id, tokenId),
            isNull(registrationTokens.usedAt),
            isNull(registrationTokens.revokedAt),
          ),
        )
        .returning({ id: registrationTokens.id });
      if (spent.length === 0) throw invalidToken();
      undo.push(() =>
        db.update(registrationTokens).set({ usedAt: null }).where(eq(registrationTokens.id, tokenId)),
      );
    }
    if (input.company_code) {
      const [taken] = await db
        .select({ id: companies.id })
        .from(companies)
        .where(eq(companies.companyCode, input.company_code));
      if (taken) throw codeTaken(input.company_code);
    }

    let bindingName: string | null = null;
    let schemaVersion: string | null = null;
    let encryptedConfig: string | null = null;
    if (input.database_config) {
      encryptedConfig = await encryptForCompany(
        config.ENCRYPTION_KEYS,
        companyId,
        JSON.stringify(input.database_config),
      );
    } else {
      const reserved = await reserveTenantDatabase(c.env, companyId);
      bindingName = reserved;
      undo.push(() => releaseReservation(c.env, reserved, companyId));
      const tenantDb = tenantBinding(c.env, reserved);
      schemaVersion = await applyTenantMigrations(tenantDb);
      await stampTenantOwner(tenantDb, companyId);
    }

    const tier = input.subscription_tier ?? "standard";
    const limits = tierLimits[tier];
    const anonymous = c.get("actor").type === "anonymous";
    const expiresAt = anonymous ? new Date(now.getTime() + TRIAL_DAYS * 86_400_000) : null;
    const databaseRow = {
      companyId,
      provider: bindingName ? ("d1" as const) : ("custom" as const),
      bindingName,
      encryptedConfig,
      schemaVersion,
      createdAt: now,
    };

    for (let attempt = 1; ; attempt++) {
      const companyCode = input.company_code ?? generateCompanyCode(input.company_name);
      const body: RegisterResponse = {
        success: true,
        company_id: companyId,
        company_code: companyCode,
        company_name: input.company_name,
        subscription_status: anonymous ? "trial" : "active",
        subscription_tier: tier,
        expires_at: expiresAt?.toISOString() ?? null,
        database_config: await databaseConfigFor(c, companyId, databaseRow),
      };
      try {
        const owner = {
          companyId,
          companyCode,
          companyName: input.company_name,
          ownerEmail: input.admin_email,
          now,
        };
        const { invitationId, statements: organizationRows } = organizationStatements(db, owner);
        await db.batch([
          db.insert(companies).values({
            id: companyId,
            companyCode,
            companyName: input.company_name,
            adminEmail: input.admin_email,
            adminPhone: input.admin_phone ?? null,
            subscriptionStatus: body.subscription_status,
            subscriptionTier: tier,
            maxInstallations: limits.maxInstallations,
            maxUsers: limits.maxUsers,
            expiresAt,
            createdAt: now,
            updatedAt: now,
          }),
          db.insert(companyDatabases).values(databaseRow),
          ...organizationRows,
          ...(bindingName ? [assignStatement(db, bindingName, companyId, schemaVersion ?? "")] : []),
          ...(tokenId
            ? [
                db
                  .update(registrationTokens)
                  .set({ usedByCompanyId: companyId })
                  .where(eq(registrationTokens.id, tokenId)),
              ]
            : []),
          auditStatement(c, {
            companyId,
            action: "company.registered",
            targetType: "company",
            targetId: companyId,
            details: {
              company_code: companyCode,
              tier,
              provider: databaseRow.provider,
              database: bindingName,
            },
          }),
          ...(slot ? [completeIdempotentStatement(c, slot, 201, body)] : []),
        ]);
        await sendOwnerInvitation(c.env, db, owner, invitationId);
        return body;
      } catch (error) {
        if (!isUniqueViolation(error, "companies.company_code")) throw error;
        if (input.company_code) throw codeTaken(input.company_code);
        // 30 random bits make a collision rare; draw again.
        if (attempt >= CODE_ATTEMPTS) throw error;
      }
    }
  } catch (error) {
    for (const step of undo.reverse()) {
      await step().catch((undoError: unknown) =>
        console.error(
          JSON.stringify({
            level: "error",
            event: "registration_undo_failed",
            companyId,
            error: String(undoError),
          }),
        ),
      );
    }
    throw error;
  }
}

function codeTaken(code: string): ApiError {
  return new ApiError(
    "COMPANY_CODE_TAKEN",
    `The company code ${code} is already in use. Choose another or leave it out.`,
  );
}
