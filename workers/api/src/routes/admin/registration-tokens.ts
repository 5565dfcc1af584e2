// Operators' registration tokens: create (the secret is shown once, only its hash is stored), list
// without secrets, and revoke one that has not been used.
import { type RegistrationToken, routes, tierLimits } from "@nexus/contracts";
import { registrationTokens } from "@nexus/db/central";
import { sha256Hex } from "@nexus/security";
import { and, desc, eq, gt, isNotNull, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId, newSecretToken } from "../../lib/ids.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, pageOf, validParams, validQuery } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { STALE_CLAIM_MS } from "../../services/registration.ts";

const { createRegistrationToken, listRegistrationTokens, revokeRegistrationToken } = routes;

type TokenRow = typeof registrationTokens.$inferSelect;

/** Used beats revoked beats expired: what happened to a token first decides what it is now. */
function stateOf(row: TokenRow, now: Date): RegistrationToken["state"] {
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

function toTokenView(row: TokenRow, now: Date): RegistrationToken {
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

function stateFilter(state: RegistrationToken["state"] | undefined, now: Date): SQL | undefined {
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

export const registrationTokenAdminRoutes = new Hono<AppEnv>()
  .post(honoPath(createRegistrationToken.path), jsonBody(createRegistrationToken.body), async (c) => {
    const input = c.req.valid("json");
    const label = input.label ?? null;
    const id = newId();
    const token = newSecretToken("nxr");
    const expiresAt = new Date(Date.now() + input.expires_in_hours * 3_600_000);
    const values = {
      id,
      tokenHash: await sha256Hex(token),
      label,
      expiresAt,
      subscriptionTier: input.subscription_tier,
      maxInstallations: input.max_installations,
      maxUsers: input.max_users,
      subscriptionDays: input.subscription_days,
    };
    const db = c.get("db");
    const [inserted] = await db.batch([
      db.insert(registrationTokens).values(values).returning(),
      auditStatement(c, {
        companyId: null,
        action: "registration_token.created",
        targetType: "registration_token",
        targetId: id,
        details: {
          label,
          expires_at: expiresAt.toISOString(),
          subscription_tier: input.subscription_tier,
          max_installations: input.max_installations,
          max_users: input.max_users,
          subscription_days: input.subscription_days,
        },
      }),
    ]);
    const [created] = inserted;
    if (!created) throw new Error("registration token vanished after insert");
    return c.json(
      {
        success: true as const,
        id,
        token,
        label,
        expires_at: expiresAt.toISOString(),
        ...grantOf(created),
      },
      createRegistrationToken.status,
    );
  })
  .get(honoPath(listRegistrationTokens.path), validQuery(listRegistrationTokens.query), async (c) => {
    const { state, limit, cursor } = c.req.valid("query");
    const now = new Date();
    const rows = await c
      .get("db")
      .select()
      .from(registrationTokens)
      .where(and(cursor ? lt(registrationTokens.id, cursor) : undefined, stateFilter(state, now)))
      .orderBy(desc(registrationTokens.id))
      .limit(limit + 1);
    const page = pageOf(rows, limit);
    return c.json({
      success: true as const,
      tokens: page.items.map((row) => toTokenView(row, now)),
      next_cursor: page.nextCursor,
    });
  })
  .post(honoPath(revokeRegistrationToken.path), validParams(revokeRegistrationToken.params), async (c) => {
    const { tokenId } = c.req.valid("param");
    const db = c.get("db");
    const now = new Date();
    // One statement decides: a registration spending the token at the same moment wins or loses whole.
    // A token claimed by a registration in progress is that registration's; a claim that outlived
    // any registration (the request died) no longer protects it.
    const [revoked] = await db
      .update(registrationTokens)
      .set({ revokedAt: now })
      .where(
        and(
          eq(registrationTokens.id, tokenId),
          isNull(registrationTokens.usedAt),
          isNull(registrationTokens.revokedAt),
          or(
            isNull(registrationTokens.claimedAt),
            lt(registrationTokens.claimedAt, new Date(now.getTime() - STALE_CLAIM_MS)),
          ),
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
      return c.json({ success: true as const, token: toTokenView(revoked, now) });
    }
    const [row] = await db.select().from(registrationTokens).where(eq(registrationTokens.id, tokenId));
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
    return c.json({ success: true as const, token: toTokenView(row, now) });
  });
