// Company registration: who may register, what the company gets, and creating the company with its
// own database in a way that leaves nothing half-made, even if the Worker dies midway. D1 has no
// interactive transactions, so every central write goes into one `batch`; the steps before it (token
// claim, database reservation and migration) are durable and resumed by a retry.
import {
  type RegisterRequestSchema,
  type RegisterResponse,
  type SubscriptionTier,
  SubscriptionTierSchema,
  tierLimits,
} from "@nexus/contracts";
import { applyTenantMigrations } from "@nexus/db";
import { companies, companyDatabases, registrationTokens, tenantDbPool } from "@nexus/db/central";
import { encryptForCompany, sha256Hex } from "@nexus/security";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import { type AppEnv, type CentralDb, getConfig } from "../env.ts";
import { isUniqueViolation } from "../lib/d1-errors.ts";
import { ApiError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { bearerToken, isAdminSecret } from "../middleware/auth.ts";
import { auditStatement } from "./audit.ts";
import { companyDatabaseRow, databaseConfigFor, findCompanyByCode } from "./companies.ts";
import { generateCompanyCode } from "./company-codes.ts";
import { completeIdempotentStatement, IDEMPOTENCY_WINDOW_MS, type IdempotencySlot } from "./idempotency.ts";
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
 * A token claim or pool reservation older than this belongs to a registration that died; like the
 * pool's stale reservations (tenant-pool.ts), an operator may then revoke the token.
 */
export const STALE_CLAIM_MS = 10 * 60 * 1000;

/**
 * What the company being registered gets. Never from the request body unless an operator sends it:
 * a registration token carries what the operator chose when creating it, and an anonymous
 * (REGISTRATION_MODE=open) registration is a trial.
 */
export interface RegistrationGrant {
  source: "operator" | "token" | "open";
  tokenId: string | null;
  tier: SubscriptionTier;
  status: "active" | "trial";
  maxInstallations: number;
  maxUsers: number;
  /** The subscription ends this many days after registration; null: it does not end. */
  subscriptionDays: number | null;
}

/** Either a registration to run, or the company an already used token registered (a retry). */
export type RegistrationPlan =
  | { kind: "create"; grant: RegistrationGrant }
  | { kind: "registered"; companyId: string };

type TokenRow = typeof registrationTokens.$inferSelect;

function tokenGrant(row: TokenRow): RegistrationGrant {
  const limits = tierLimits[row.subscriptionTier];
  return {
    source: "token",
    tokenId: row.id,
    tier: row.subscriptionTier,
    status: "active",
    maxInstallations: row.maxInstallations ?? limits.maxInstallations,
    maxUsers: row.maxUsers ?? limits.maxUsers,
    subscriptionDays: row.subscriptionDays,
  };
}

/**
 * Decides who is registering: an operator (admin secret), the holder of a registration token, or —
 * only when REGISTRATION_MODE=open — an anonymous trial. Sets the request's actor.
 */
export async function authorizeRegistration(
  c: Context<AppEnv>,
  input: RegisterInput,
): Promise<RegistrationPlan> {
  const token = bearerToken(c);
  if (token && (await isAdminSecret(c, token))) {
    c.set("actor", { type: "operator", id: "admin-secret" });
    const tier = input.subscription_tier ?? "standard";
    return {
      kind: "create",
      grant: {
        source: "operator",
        tokenId: null,
        tier,
        status: "active",
        ...tierLimits[tier],
        subscriptionDays: null,
      },
    };
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
      .select()
      .from(registrationTokens)
      .where(eq(registrationTokens.tokenHash, await sha256Hex(token)))
      .limit(1);
    if (!row || row.revokedAt) throw invalidToken();
    c.set("actor", { type: "registration_token", id: row.id });
    // Used: this may be the retry of a registration whose response was lost. Answered for as long
    // as an Idempotency-Key would be, not forever: the answer names the company's database.
    if (row.usedAt) {
      if (!row.usedByCompanyId || row.usedAt.getTime() < Date.now() - IDEMPOTENCY_WINDOW_MS) {
        throw invalidToken();
      }
      return { kind: "registered", companyId: row.usedByCompanyId };
    }
    // A claimed token resumes the registration that claimed it even once past its expiry.
    if (row.expiresAt.getTime() <= Date.now() && !row.claimedAt) throw invalidToken();
    return { kind: "create", grant: tokenGrant(row) };
  }
  if (getConfig(c.env).REGISTRATION_MODE === "open") {
    return {
      kind: "create",
      grant: {
        source: "open",
        tokenId: null,
        tier: "standard",
        status: "trial",
        ...tierLimits.standard,
        subscriptionDays: TRIAL_DAYS,
      },
    };
  }
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

/**
 * The 201 body for a company a token already registered, when the request is the same registration
 * (a client retrying after a lost response); a different company with a used token is refused.
 */
export async function registeredCompany(
  c: Context<AppEnv>,
  companyId: string,
  input: RegisterInput,
): Promise<RegisterResponse> {
  const [company] = await c.get("db").select().from(companies).where(eq(companies.id, companyId)).limit(1);
  if (
    !company ||
    company.companyName !== input.company_name ||
    company.adminEmail.toLowerCase() !== input.admin_email.toLowerCase()
  ) {
    throw invalidToken();
  }
  c.header("Idempotent-Replayed", "true");
  return {
    success: true,
    company_id: company.id,
    company_code: company.companyCode,
    company_name: company.companyName,
    subscription_status: company.subscriptionStatus === "trial" ? "trial" : "active",
    subscription_tier: SubscriptionTierSchema.catch("standard").parse(company.subscriptionTier),
    expires_at: company.expiresAt?.toISOString() ?? null,
    database_config: await databaseConfigFor(c, companyId, await companyDatabaseRow(c, companyId)),
  };
}

/**
 * Claims the token for a company id: the first attempt picks the id, a retry after a crash (or a
 * concurrent request with the same token) gets the same one, so at most one company can come of it.
 * Null when the token was used or revoked meanwhile.
 */
async function claimToken(db: CentralDb, tokenId: string, now: Date): Promise<string | null> {
  const [claimed] = await db
    .update(registrationTokens)
    .set({
      usedByCompanyId: sql`coalesce(${registrationTokens.usedByCompanyId}, ${newId()})`,
      claimedAt: now,
    })
    .where(
      and(
        eq(registrationTokens.id, tokenId),
        isNull(registrationTokens.usedAt),
        isNull(registrationTokens.revokedAt),
      ),
    )
    .returning({ companyId: registrationTokens.usedByCompanyId });
  return claimed?.companyId ?? null;
}

/** The tenant database a crashed attempt reserved for this company, kept for the retry. */
async function earlierReservation(db: CentralDb, companyId: string, now: Date): Promise<string | null> {
  const [row] = await db
    .update(tenantDbPool)
    .set({ reservedAt: now })
    .where(and(eq(tenantDbPool.companyId, companyId), eq(tenantDbPool.status, "reserved")))
    .returning({ bindingName: tenantDbPool.bindingName });
  return row?.bindingName ?? null;
}

/**
 * Creates the company, its database and the audit row; returns the 201 body.
 *
 * Crash safety: everything the central database learns about the company lands in one batch
 * (company, database row, organization and owner invitation, pool assignment, the token's use,
 * audit, idempotency record), so a crash leaves either all of it or none. What happens before the
 * batch is resumable: a token is claimed for a company id first (its retry reuses the id), and the
 * tenant database reserved for that id is reused by the retry (migrations and the owner stamp are
 * idempotent). A registration without a token that dies leaves only a reservation, reclaimed after
 * ten minutes. The undo steps below only give things back sooner; nothing depends on them.
 */
export async function createCompany(
  c: Context<AppEnv>,
  input: RegisterInput,
  grant: RegistrationGrant,
  slot: IdempotencySlot | null,
): Promise<RegisterResponse> {
  const db = c.get("db");
  const config = getConfig(c.env);
  const now = new Date();
  const undo: (() => Promise<unknown>)[] = [];
  const { tokenId } = grant;
  // Another attempt with this token registered the company: answer with it (and remember the answer).
  const alreadyRegistered = async (id: string) => {
    const body = await registeredCompany(c, id, input);
    if (slot) await completeIdempotentStatement(c, slot, 201, body);
    return body;
  };

  let companyId: string;
  if (tokenId) {
    const claimed = await claimToken(db, tokenId, now);
    if (!claimed) {
      // Used between the check and here: by this very registration's first attempt, or refused.
      const [row] = await db.select().from(registrationTokens).where(eq(registrationTokens.id, tokenId));
      if (row?.usedAt && row.usedByCompanyId) return alreadyRegistered(row.usedByCompanyId);
      throw invalidToken();
    }
    companyId = claimed;
  } else {
    companyId = newId();
  }

  try {
    if (input.company_code) {
      if (await findCompanyByCode(db, input.company_code)) throw codeTaken(input.company_code);
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
      const earlier = tokenId ? await earlierReservation(db, companyId, now) : null;
      const reserved = earlier ?? (await reserveTenantDatabase(c.env, companyId));
      bindingName = reserved;
      // A token's retry reuses its reservation, so only reservations without a token are given back.
      if (!tokenId) undo.push(() => releaseReservation(c.env, reserved, companyId));
      const tenantDb = tenantBinding(c.env, reserved);
      schemaVersion = await applyTenantMigrations(tenantDb);
      await stampTenantOwner(tenantDb, companyId);
    }

    const expiresAt =
      grant.subscriptionDays === null ? null : new Date(now.getTime() + grant.subscriptionDays * 86_400_000);
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
        subscription_status: grant.status,
        subscription_tier: grant.tier,
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
            subscriptionStatus: grant.status,
            subscriptionTier: grant.tier,
            maxInstallations: grant.maxInstallations,
            maxUsers: grant.maxUsers,
            expiresAt,
            createdAt: now,
            updatedAt: now,
          }),
          db.insert(companyDatabases).values(databaseRow),
          ...organizationRows,
          ...(bindingName ? [assignStatement(db, bindingName, companyId, schemaVersion ?? "")] : []),
          // The token counts as used only together with the company it registered.
          ...(tokenId
            ? [
                db
                  .update(registrationTokens)
                  .set({ usedAt: now })
                  .where(
                    and(
                      eq(registrationTokens.id, tokenId),
                      eq(registrationTokens.usedByCompanyId, companyId),
                      isNull(registrationTokens.usedAt),
                    ),
                  ),
              ]
            : []),
          auditStatement(c, {
            companyId,
            action: "company.registered",
            targetType: "company",
            targetId: companyId,
            details: {
              company_code: companyCode,
              tier: grant.tier,
              granted_by: grant.source,
              ...(grant.source !== "operator" && input.subscription_tier
                ? { ignored_requested_tier: input.subscription_tier }
                : {}),
              provider: databaseRow.provider,
              database: bindingName,
            },
          }),
          ...(slot ? [completeIdempotentStatement(c, slot, 201, body)] : []),
        ]);
        await sendOwnerInvitation(c.env, db, owner, invitationId);
        return body;
      } catch (error) {
        // A concurrent request with the same token (so the same company id) got there first.
        if (tokenId && isUniqueViolation(error, "companies.id")) {
          return alreadyRegistered(companyId);
        }
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
