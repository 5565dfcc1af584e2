import { env } from "cloudflare:workers";
import type { LlmProviderKey } from "@nexus/contracts";
import { decryptForCompany } from "@nexus/security";
import { describe, expect, it } from "vitest";
import { call, expectError, json } from "../../../test/helpers.ts";
import { addProviderKey, auditText, llmCompany } from "../../../test/llm.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { providerKeySecret } from "../../services/llm/provider-keys.ts";
import { tenantDatabase } from "../../services/tenant-db.ts";

const SECRET = "stand-in-gemini-byok-0123456789abcdefWXYZ";

describe("storing a company's own provider key (BYOK)", () => {
  it("keeps only ciphertext bound to the company and the provider in the tenant database, and shows only the last four", async () => {
    const { companyId, base } = await llmCompany("llm-byok");
    const owner = await companyOwner(companyId, "owner@llm-byok.example");
    const created = await call(`${base}/keys`, {
      headers: { cookie: owner },
      body: { provider: "gemini", label: "Plant Gemini", key: ` ${SECRET} ` },
    });
    expect(created.status).toBe(201);
    const text = await created.clone().text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET.slice(0, -4));
    const { key } = await json<{ key: LlmProviderKey }>(created);
    expect(key).toMatchObject({ provider: "gemini", label: "Plant Gemini", last4: "WXYZ", rotated_at: null });
    expect(key.created_by).not.toBeNull();

    const db = await tenantDatabase(env, companyId);
    const rows = await db.prepare("SELECT * FROM llm_provider_keys").all<Record<string, unknown>>();
    expect(rows.results).toHaveLength(1);
    const stored = JSON.stringify(rows.results);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(SECRET.slice(0, 12));
    const row = rows.results[0] ?? {};
    expect(row.last4).toBe("WXYZ");
    const sealed = String(row.sealed_key);
    expect(sealed).toMatch(/^v\d+\.[\w-]+\.[\w-]+$/);

    // The ciphertext opens for this company as a Gemini key, and for nothing else.
    const keys = env.ENCRYPTION_KEYS;
    expect(await decryptForCompany(keys, companyId, sealed, "llm-key:gemini")).toBe(SECRET);
    const other = await llmCompany("llm-byok-other");
    await expect(decryptForCompany(keys, other.companyId, sealed, "llm-key:gemini")).rejects.toThrow();
    await expect(decryptForCompany(keys, companyId, sealed, "llm-key:openai")).rejects.toThrow();
    await expect(decryptForCompany(keys, companyId, sealed)).rejects.toThrow();
    expect(await providerKeySecret(env, companyId, key.id)).toEqual({ provider: "gemini", secret: SECRET });

    // Copied into another company's database, the row does not open there.
    const theirs = await tenantDatabase(env, other.companyId);
    await theirs
      .prepare(
        "INSERT INTO llm_provider_keys (id, provider, label, sealed_key, last4) VALUES (?, ?, ?, ?, ?)",
      )
      .bind(key.id, "gemini", "copied", sealed, "WXYZ")
      .run();
    expect(await providerKeySecret(env, other.companyId, key.id)).toBeNull();

    const audit = await auditText(companyId);
    expect(audit.actions).toContain("llm.key_created");
    expect(audit.text).not.toContain(SECRET);
    expect(audit.text).not.toContain(SECRET.slice(0, 12));
  });

  it("takes no Workers AI keys, nothing short or with spaces, and needs llm:manage", async () => {
    const { companyId, base } = await llmCompany("llm-byok-invalid");
    const owner = await companyOwner(companyId, "owner@llm-byok-invalid.example");
    const admin = await companyMember(owner, companyId, "admin@llm-byok-invalid.example", "admin");
    for (const body of [
      { provider: "workers_ai", label: "x", key: "sk-stand-in-12345678" },
      { provider: "openai", label: "x", key: "short" },
      { provider: "openai", label: "x", key: "sk-stand in-12345678" },
      { provider: "openai", label: "", key: "sk-stand-in-12345678" },
    ]) {
      await expectError(
        await call(`${base}/keys`, { headers: { cookie: owner }, body }),
        400,
        "VALIDATION_FAILED",
      );
    }
    const byAdmin = await addProviderKey(
      companyId,
      { provider: "anthropic", key: "sk-ant-stand-in-admin-9876" },
      {
        cookie: admin,
      },
    );
    expect(byAdmin.last4).toBe("9876");
  });
});
