import { env } from "cloudflare:workers";
import type { LlmProviderKey } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, expectError, json } from "../../../test/helpers.ts";
import { addProviderKey, asOptions, auditText, llmCompany } from "../../../test/llm.ts";
import { providerKeySecret } from "../../services/llm/provider-keys.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const OLD = "sk-stand-in-rotate-old-key-1111";
const NEW = "sk-stand-in-rotate-new-key-2222";

describe("rotating a provider key", () => {
  it("replaces the sealed secret at once, shows the new last four, and audits it without either key", async () => {
    const { companyId, base } = await llmCompany("llm-rotate");
    const key = await addProviderKey(companyId, { provider: "openai", key: OLD });
    const db = await tenantDatabase(env, companyId);
    const sealedOf = async () =>
      (
        await db.prepare("SELECT sealed_key FROM llm_provider_keys WHERE id = ?").bind(key.id).first<{
          sealed_key: string;
        }>()
      )?.sealed_key;
    const before = await sealedOf();

    const rotated = await call(`${base}/keys/${key.id}/rotate`, { ...asOptions(), body: { key: NEW } });
    expect(rotated.status).toBe(200);
    const text = await rotated.clone().text();
    expect(text).not.toContain(NEW.slice(0, -4));
    const view = (await json<{ key: LlmProviderKey }>(rotated)).key;
    expect(view).toMatchObject({ id: key.id, provider: "openai", last4: "2222", created_at: key.created_at });
    expect(Date.now() - Date.parse(view.rotated_at ?? "")).toBeLessThan(60_000);

    const after = await sealedOf();
    expect(after).not.toBe(before);
    expect(after).not.toContain(NEW);
    expect(await providerKeySecret(env, companyId, key.id)).toEqual({ provider: "openai", secret: NEW });

    const audit = await auditText(companyId);
    expect(audit.actions.at(-1)).toBe("llm.key_rotated");
    for (const secret of [OLD, NEW]) expect(audit.text).not.toContain(secret.slice(0, -4));
  });

  it("answers LLM_KEY_NOT_FOUND for a key id that is not the company's", async () => {
    const { companyId, base } = await llmCompany("llm-rotate-foreign");
    const other = await llmCompany("llm-rotate-foreign-other");
    const theirs = await addProviderKey(other.companyId, { provider: "openai", key: OLD });
    for (const keyId of [theirs.id, "no-such-key"]) {
      const refused = await expectError(
        await call(`${base}/keys/${keyId}/rotate`, { ...asOptions(), body: { key: NEW } }),
        404,
        "LLM_KEY_NOT_FOUND",
      );
      expect(refused.message).toContain(keyId);
    }
    // Their key is untouched.
    expect(await providerKeySecret(env, other.companyId, theirs.id)).toEqual({
      provider: "openai",
      secret: OLD,
    });
    expect(await providerKeySecret(env, companyId, theirs.id)).toBeNull();
  });
});
