// Company API keys for server-to-server calls. The key (`nxk_…`, 32 random bytes) is shown once;
// the database keeps its SHA-256, so a leaked database does not leak usable keys. A key acts only
// on its own company's routes, with the permissions it was given.
import { companyPermissions } from "@nexus/contracts";
import { apiKeys } from "@nexus/db/central";
import { sha256Hex } from "@nexus/security";
import { and, desc, eq, isNull, lt, or } from "drizzle-orm";
import type { Context } from "hono";
import type { AppEnv, CentralDb } from "../env.ts";
import { ApiError } from "../lib/errors.ts";
import { newId, newSecretToken } from "../lib/ids.ts";
import { auditStatement } from "./audit.ts";

export const API_KEY_PREFIX = "nxk";
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type PermissionMap = Record<string, string[]>;

// last_used_at is written at most this often per key (a write per request would be wasteful).
const LAST_USED_RESOLUTION_MS = 60_000;

export const isApiKey = (token: string) => token.startsWith(`${API_KEY_PREFIX}_`);

export function toApiKeyView(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: row.permissions,
    created_by: row.createdBy,
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
    expires_at: row.expiresAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}

/** Requested permissions, checked against the ones that exist; keys never manage keys. */
export function validKeyPermissions(requested: PermissionMap): PermissionMap {
  const known = companyPermissions as Record<string, readonly string[]>;
  const problems: string[] = [];
  for (const [resource, actions] of Object.entries(requested)) {
    const allowed = known[resource];
    if (!allowed) problems.push(`unknown resource "${resource}"`);
    else if (resource === "api_keys") problems.push("API keys cannot manage or list API keys");
    else
      for (const action of actions)
        if (!allowed.includes(action)) problems.push(`unknown action "${resource}:${action}"`);
  }
  if (problems.length > 0) {
    throw new ApiError("VALIDATION_FAILED", `Invalid permissions: ${problems.join("; ")}.`, { problems });
  }
  return Object.fromEntries(
    Object.entries(requested).map(([resource, actions]) => [resource, [...new Set(actions)]]),
  );
}

/** The live (not revoked) key row for a presented key, or null. */
export async function findApiKey(db: CentralDb, key: string): Promise<ApiKeyRow | null> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row ?? null;
}

/** Whether the key's recorded last use is old enough to be written again. */
export const lastUseIsStale = (row: ApiKeyRow, now = Date.now()) =>
  !row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;

/** Records a use; the condition keeps concurrent requests from writing the same minute twice. */
export function touchApiKey(db: CentralDb, id: string, now = Date.now()) {
  return db
    .update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(
      and(
        eq(apiKeys.id, id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, new Date(now - LAST_USED_RESOLUTION_MS))),
      ),
    );
}

export const keyAllows = (row: ApiKeyRow, resource: string, action: string) =>
  row.permissions[resource]?.includes(action) ?? false;

/**
 * The request's API key, or an UNAUTHORIZED error: sets the actor and records the use (at most once
 * a minute, after the response).
 */
export async function requestApiKey(
  c: Context<AppEnv>,
  token: string,
  errorHeaders?: Record<string, string>,
): Promise<ApiKeyRow> {
  const db = c.get("db");
  const key = await findApiKey(db, token);
  if (!key) {
    throw new ApiError(
      "UNAUTHORIZED",
      "This API key is not valid (revoked, or never issued).",
      undefined,
      errorHeaders,
    );
  }
  if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) {
    // Its owner can tell why from the date; the key's name is not repeated to whoever holds it.
    throw new ApiError(
      "UNAUTHORIZED",
      `This API key expired at ${key.expiresAt.toISOString()}. Create a new one in the dashboard.`,
      undefined,
      errorHeaders,
    );
  }
  c.set("actor", { type: "api_key", id: key.id });
  if (lastUseIsStale(key)) c.executionCtx.waitUntil(touchApiKey(db, key.id).run());
  return key;
}

/** The company's keys, newest first (never their hashes' preimages: those are not kept). */
export function companyApiKeys(db: CentralDb, companyId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.companyId, companyId)).orderBy(desc(apiKeys.id));
}

const DAY_MS = 86_400_000;

/** Issues a key: the row and its audit entry land together; the key itself is returned once. */
export async function issueApiKey(
  c: Context<AppEnv>,
  companyId: string,
  input: { name: string; permissions: PermissionMap; expiresInDays: number | null },
): Promise<{ row: ApiKeyRow; key: string }> {
  const key = newSecretToken(API_KEY_PREFIX);
  const id = newId();
  const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * DAY_MS);
  const db = c.get("db");
  await db.batch([
    db.insert(apiKeys).values({
      id,
      companyId,
      name: input.name,
      prefix: key.slice(0, API_KEY_PREFIX.length + 7),
      keyHash: await sha256Hex(key),
      permissions: input.permissions,
      createdBy: c.get("actor").id,
      expiresAt,
    }),
    auditStatement(c, {
      companyId,
      action: "api_key.created",
      targetType: "api_key",
      targetId: id,
      details: {
        name: input.name,
        permissions: input.permissions,
        expires_at: expiresAt?.toISOString() ?? null,
      },
    }),
  ]);
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  if (!row) throw new Error("api key vanished after insert");
  return { row, key };
}

/** Revokes one of the company's keys (once: revoking again changes nothing); NOT_FOUND for others'. */
export async function revokeCompanyApiKey(
  c: Context<AppEnv>,
  companyId: string,
  keyId: string,
): Promise<ApiKeyRow> {
  const db = c.get("db");
  const where = and(eq(apiKeys.id, keyId), eq(apiKeys.companyId, companyId));
  const [row] = await db.select().from(apiKeys).where(where);
  if (!row) throw new ApiError("NOT_FOUND", `This company has no API key ${keyId}.`);
  if (row.revokedAt) return row;
  await db.batch([
    db.update(apiKeys).set({ revokedAt: new Date() }).where(where),
    auditStatement(c, { companyId, action: "api_key.revoked", targetType: "api_key", targetId: keyId }),
  ]);
  const [revoked] = await db.select().from(apiKeys).where(where);
  return revoked ?? row;
}
