// Operators' registration tokens: create (the secret is shown once, only its hash is stored), list
// without secrets, and revoke one that has not been used. Registration spends them (registration.ts).
import {
  type CreateRegistrationTokenRequestSchema,
  type RegistrationToken,
  type RegistrationTokenListQuerySchema,
  tierLimits,
} from "@nexus/contracts";
import { registrationTokens } from "@nexus/db/central";
import { sha256Hex } from "@nexus/security";
import { and, eq, gt, isNotNull, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv, CentralDb } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId, newSecretToken } from "../lib/ids.ts";
import { auditStatement } from "./audit.ts";
import { listPage } from "./list-page.ts";
import { STALE_CLAIM_MS } from "./registration.ts";

type TokenRow = typeof registrationTokens.$inferSelect;
type TokenState = RegistrationToken["state"];

/** Used beats revoked beats expired: what happened to a token first decides what it is now. */
function stateOf(row: TokenRow, now: Date): TokenState {
  if (row.usedAt) return "used";
  if (row.revokedAt) return "revoked";
  return row.expiresAt <= now ? "expired" : "active";
}

/** The tier and limits a token gives its company, with the tier's defaults filled in. */
function grantOf(row: TokenRow) {
  const limits = tierLimits[row.subscriptionTier];
  return {
    subscription_tier: row.subscriptionTier,
    max_installations: row.maxInstallations ?? limits.maxInstallations,
    max_users: row.maxUsers ?? limits.maxUsers,
    subscription_days: row.subscriptionDays,
  };
}

export function toTokenView(row: TokenRow, now: Date): RegistrationToken {
  return {
    id: row.id,
    label: row.label,
    state: stateOf(row, now),
    created_at: row.createdAt.toISOString(),
    expires_at: row.expiresAt.toISOString(),
    used_at: row.usedAt?.toISOString() ?? null,
    // A registration in progress claims the company id early; it is the token's company once used.
    used_by_company_id: row.usedAt ? row.usedByCompanyId : null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    ...grantOf(row),
  };
}

function stateFilter(state: TokenState | undefined, now: Date): SQL | undefined {
  const t = registrationTokens;
  switch (state) {
    case "used":
      return isNotNull(t.usedAt);
    case "revoked":
      return and(isNull(t.usedAt), isNotNull(t.revokedAt));
    case "expired":
      return and(isNull(t.usedAt), isNull(t.revokedAt), lte(t.expiresAt, now));
    case "active":
      return and(isNull(t.usedAt), isNull(t.revokedAt), gt(t.expiresAt, now));
    default:
      return undefined;
  }
}

/** Issues a token, audited; the secret is returned this once. */
export async function issueRegistrationToken(
  c: Context<AppEnv>,
  input: z.output<typeof CreateRegistrationTokenRequestSchema>,
) {
  const label = input.label ?? null;
  const id = newId();
  const token = newSecretToken("nxr");
  const expiresAt = new Date(Date.now() + input.expires_in_hours * 3_600_000);
  const plan = {
    subscription_tier: input.subscription_tier,
    max_installations: input.max_installations,
    max_users: input.max_users,
    subscription_days: input.subscription_days,
  };
  const db = c.get("db");
  const [inserted] = await db.batch([
    db
      .insert(registrationTokens)
      .values({
        id,
        tokenHash: await sha256Hex(token),
        label,
        expiresAt,
        subscriptionTier: plan.subscription_tier,
        maxInstallations: plan.max_installations,
        maxUsers: plan.max_users,
        subscriptionDays: plan.subscription_days,
      })
      .returning(),
    auditStatement(c, {
      companyId: null,
      action: "registration_token.created",
      targetType: "registration_token",
      targetId: id,
      details: { label, expires_at: expiresAt.toISOString(), ...plan },
    }),
  ]);
  const [created] = inserted;
  if (!created) throw new Error("registration token vanished after insert");
  return { id, token, label, expires_at: expiresAt.toISOString(), ...grantOf(created) };
}

/** One page of tokens in the state asked for, newest first, as they are at `now`. */
export async function registrationTokenPage(
  db: CentralDb,
  query: z.output<typeof RegistrationTokenListQuerySchema>,
  now: Date,
) {
  const t = registrationTokens;
  const page = await listPage(
    query,
    t.id,
    [stateFilter(query.state, now)],
    ({ where, orderBy, limit }) => db.select().from(t).where(where).orderBy(orderBy).limit(limit),
    (row) => row.id,
  );
  return { tokens: page.items.map((row) => toTokenView(row, now)), nextCursor: page.nextCursor };
}

/** Revokes a token nobody has spent (revoking twice changes nothing), audited. */
export async function revokeRegistrationTokenById(
  c: Context<AppEnv>,
  tokenId: string,
): Promise<RegistrationToken> {
  const db = c.get("db");
  const t = registrationTokens;
  const now = new Date();
  // One statement decides: a registration spending the token at the same moment wins or loses whole.
  // A token claimed by a registration in progress is that registration's; a claim that outlived
  // any registration (the request died) no longer protects it.
  const [revoked] = await db
    .update(t)
    .set({ revokedAt: now })
    .where(
      and(
        eq(t.id, tokenId),
        isNull(t.usedAt),
        isNull(t.revokedAt),
        or(isNull(t.claimedAt), lt(t.claimedAt, new Date(now.getTime() - STALE_CLAIM_MS))),
      ),
    )
    .returning();
  if (revoked) {
    await auditStatement(c, {
      companyId: null,
      action: "registration_token.revoked",
      targetType: "registration_token",
      targetId: tokenId,
      details: { label: revoked.label },
    });
    return toTokenView(revoked, now);
  }
  const [row] = await db.select().from(t).where(eq(t.id, tokenId));
  if (!row) throw new ApiError("NOT_FOUND", `No registration token has the id ${tokenId}.`);
  if (row.usedAt) {
    throw new ApiError(
      "REGISTRATION_TOKEN_USED",
      "This registration token was already used to register a company; there is nothing to revoke.",
    );
  }
  if (!row.revokedAt) {
    throw new ApiError(
      "REGISTRATION_TOKEN_USED",
      "A registration with this token is in progress. Try again in a few minutes: if it registered a company, suspend that company instead.",
    );
  }
  return toTokenView(row, now);
}
