import { routes } from "@nexus/contracts";
import { apiKeys } from "@nexus/db/central";
import { sha256Hex } from "@nexus/security";
import { and, desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId, newSecretToken } from "../../lib/ids.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import { API_KEY_PREFIX, toApiKeyView, validKeyPermissions } from "../../services/api-keys.ts";
import { auditStatement } from "../../services/audit.ts";
import { getCompanyView } from "../../services/companies.ts";
import { allows, allowsAll, memberAccess } from "../../services/member-access.ts";

const { listApiKeys, createApiKey, revokeApiKey } = routes;
const DAY_MS = 86_400_000;

export const apiKeyAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listApiKeys.path), validParams(listApiKeys.params), async (c) => {
    const { companyId } = c.req.valid("param");
    await getCompanyView(c, companyId);
    const rows = await c
      .get("db")
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.companyId, companyId))
      .orderBy(desc(apiKeys.id));
    return c.json({ success: true as const, api_keys: rows.map(toApiKeyView) });
  })
  .post(
    honoPath(createApiKey.path),
    validParams(createApiKey.params),
    jsonBody(createApiKey.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const input = c.req.valid("json");
      const permissions = validKeyPermissions(input.permissions);
      const actor = c.get("actor");
      // Operators reach any company id: one that does not exist must be a 404, not a failed
      // foreign key (a 500) when the key row is written.
      await getCompanyView(c, companyId);
      if (actor.type === "user" && actor.id) {
        const access = await memberAccess(c, companyId, actor.id);
        // The access middleware checked api_keys:manage already; checked again here because
        // handing out credentials must never rest on one check.
        if (!access || !allows(access, { resource: "api_keys", action: "manage" })) {
          throw new ApiError("FORBIDDEN", "Your role in this company does not allow api_keys:manage.");
        }
        // A member can hand a key only permissions their own role has.
        if (!allowsAll(access, permissions)) {
          throw new ApiError("FORBIDDEN", "An API key cannot get permissions your own role does not have.");
        }
      } else if (actor.type !== "operator") {
        throw new ApiError(
          "FORBIDDEN",
          "Only the company's owners and platform operators may create API keys.",
        );
      }
      const key = newSecretToken(API_KEY_PREFIX);
      const id = newId();
      const expiresAt =
        input.expires_in_days === null ? null : new Date(Date.now() + input.expires_in_days * DAY_MS);
      const db = c.get("db");
      await db.batch([
        db.insert(apiKeys).values({
          id,
          companyId,
          name: input.name,
          prefix: key.slice(0, API_KEY_PREFIX.length + 7),
          keyHash: await sha256Hex(key),
          permissions,
          createdBy: actor.id,
          expiresAt,
        }),
        auditStatement(c, {
          companyId,
          action: "api_key.created",
          targetType: "api_key",
          targetId: id,
          details: { name: input.name, permissions, expires_at: expiresAt?.toISOString() ?? null },
        }),
      ]);
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
      if (!row) throw new Error("api key vanished after insert");
      return c.json({ success: true as const, api_key: toApiKeyView(row), key }, 201);
    },
  )
  .post(honoPath(revokeApiKey.path), validParams(revokeApiKey.params), async (c) => {
    const { companyId, keyId } = c.req.valid("param");
    const db = c.get("db");
    const where = and(eq(apiKeys.id, keyId), eq(apiKeys.companyId, companyId));
    const [row] = await db.select().from(apiKeys).where(where);
    if (!row) throw new ApiError("NOT_FOUND", `This company has no API key ${keyId}.`);
    if (!row.revokedAt) {
      await db.batch([
        db.update(apiKeys).set({ revokedAt: new Date() }).where(where),
        auditStatement(c, { companyId, action: "api_key.revoked", targetType: "api_key", targetId: keyId }),
      ]);
    }
    const [revoked] = await db.select().from(apiKeys).where(where);
    return c.json({ success: true as const, api_key: toApiKeyView(revoked ?? row) });
  });
