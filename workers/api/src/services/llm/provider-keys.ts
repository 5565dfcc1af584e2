// The company's own provider keys (BYOK). A key is sealed with the company's key (AES-GCM), with
// associated data binding the company and the provider, so its ciphertext opens neither for another
// company nor as another provider's key; only its last four characters are stored in clear.
//
// The gateway's providerKeySecret reads the row on every call and keeps no decrypted secret between
// requests: the read is needed anyway so that a rotation or a deletion takes effect at once in every
// isolate, and once the row is read, opening it (an HKDF derivation and an AES-GCM decryption of a
// few dozen bytes) costs far less than the read. A cache would save little and keep plaintext keys
// of every company in the isolate's memory.
import type { LlmProvider, LlmProviderKey } from "@nexus/contracts";
import { llmProviderKeys } from "@nexus/db/tenant";
import { decryptForCompany, encryptForCompany } from "@nexus/security";
import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Context } from "hono";
import { type AppEnv, getConfig } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { auditStatement } from "../audit.ts";
import { tenantDatabase } from "../tenant-db.ts";
import { modelsUsingKey, storedLlmPolicy } from "./policy.ts";

export type LlmProviderKeyRow = typeof llmProviderKeys.$inferSelect;

/** The associated data's context of a provider's keys. */
export const providerKeyContext = (provider: LlmProvider) => `llm-key:${provider}`;

export function toLlmProviderKeyView(row: LlmProviderKeyRow): LlmProviderKey {
  return {
    id: row.id,
    provider: row.provider,
    label: row.label,
    last4: row.last4,
    created_by: row.createdBy,
    created_at: new Date(row.createdAt).toISOString(),
    rotated_at: row.rotatedAt === null ? null : new Date(row.rotatedAt).toISOString(),
  };
}

/** The audit row of a change to a key: named by its id and last four characters, never by the key. */
export const auditProviderKey = (
  c: Context<AppEnv>,
  companyId: string,
  action: "llm.key_created" | "llm.key_rotated" | "llm.key_deleted",
  row: LlmProviderKeyRow,
) =>
  auditStatement(c, {
    companyId,
    action,
    targetType: "llm_provider_key",
    targetId: row.id,
    details: { provider: row.provider, label: row.label, last4: row.last4 },
  });

const tenantOrm = async (env: Env, companyId: string) => drizzle(await tenantDatabase(env, companyId));

const seal = (env: Env, companyId: string, provider: LlmProvider, key: string) =>
  encryptForCompany(getConfig(env).ENCRYPTION_KEYS, companyId, key, providerKeyContext(provider));

async function keyRow(orm: Awaited<ReturnType<typeof tenantOrm>>, keyId: string): Promise<LlmProviderKeyRow> {
  const [row] = await orm.select().from(llmProviderKeys).where(eq(llmProviderKeys.id, keyId)).limit(1);
  if (!row) throw new ApiError("LLM_KEY_NOT_FOUND", `This company has no provider key ${keyId}.`);
  return row;
}

/** The company's provider keys, newest first. */
export async function companyProviderKeys(env: Env, companyId: string): Promise<LlmProviderKeyRow[]> {
  const orm = await tenantOrm(env, companyId);
  return orm
    .select()
    .from(llmProviderKeys)
    .orderBy(desc(llmProviderKeys.createdAt), desc(llmProviderKeys.id));
}

export async function storeProviderKey(
  env: Env,
  companyId: string,
  input: { provider: LlmProvider; label: string; key: string },
  createdBy: string | null,
): Promise<LlmProviderKeyRow> {
  const orm = await tenantOrm(env, companyId);
  const id = newId();
  await orm.insert(llmProviderKeys).values({
    id,
    provider: input.provider,
    label: input.label,
    sealedKey: await seal(env, companyId, input.provider, input.key),
    last4: input.key.slice(-4),
    createdBy,
  });
  return keyRow(orm, id);
}

/** Replaces a key's secret; the gateway's next call with it uses the new one. */
export async function replaceProviderKeySecret(
  env: Env,
  companyId: string,
  keyId: string,
  key: string,
): Promise<LlmProviderKeyRow> {
  const orm = await tenantOrm(env, companyId);
  const row = await keyRow(orm, keyId);
  await orm
    .update(llmProviderKeys)
    .set({
      sealedKey: await seal(env, companyId, row.provider, key),
      last4: key.slice(-4),
      rotatedAt: Date.now(),
    })
    .where(eq(llmProviderKeys.id, keyId));
  return keyRow(orm, keyId);
}

/** Deletes a key no model of the saved policy uses; returns it as it was. */
export async function deleteProviderKey(
  env: Env,
  companyId: string,
  keyId: string,
): Promise<LlmProviderKeyRow> {
  const orm = await tenantOrm(env, companyId);
  const row = await keyRow(orm, keyId);
  const models = modelsUsingKey(await storedLlmPolicy(env, companyId), keyId);
  if (models.length > 0) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `Provider key ${keyId} is used by ${models.map((name) => `"${name}"`).join(", ")}; change those models' targets in the LLM policy first.`,
      { models },
    );
  }
  await orm.delete(llmProviderKeys).where(eq(llmProviderKeys.id, keyId));
  return row;
}

/**
 * A provider key's secret for the gateway, or null when the company has no such key (deleted since
 * the policy was read) or its ciphertext does not open (an operator alert: the master key it was
 * sealed with is gone, or the row was tampered with).
 */
export async function providerKeySecret(
  env: Env,
  companyId: string,
  keyId: string,
): Promise<{ provider: LlmProvider; secret: string } | null> {
  const orm = await tenantOrm(env, companyId);
  const [row] = await orm
    .select({ provider: llmProviderKeys.provider, sealedKey: llmProviderKeys.sealedKey })
    .from(llmProviderKeys)
    .where(eq(llmProviderKeys.id, keyId))
    .limit(1);
  if (!row) return null;
  try {
    const secret = await decryptForCompany(
      getConfig(env).ENCRYPTION_KEYS,
      companyId,
      row.sealedKey,
      providerKeyContext(row.provider),
    );
    return { provider: row.provider, secret };
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "alert",
        event: "llm_provider_key_unreadable",
        companyId,
        keyId,
        // secrets.ts's own messages name a missing master key version; anything else is the tag
        // check failing, said in our words (the runtime's message gives the plaintext's length).
        error:
          error instanceof Error && /^(master key version|not a sealed secret)/.test(error.message)
            ? error.message
            : "the ciphertext does not open with this company's key and provider",
      }),
    );
    return null;
  }
}
