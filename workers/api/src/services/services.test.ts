import { env } from "cloudflare:workers";
import { compareVersions } from "@nexus/contracts";
import { applyTenantMigrations, latestTenantSchemaVersion, tenantMigrations } from "@nexus/db";
import { decryptForCompany, encryptForCompany } from "@nexus/security";
import { decodeProtectedHeader, exportJWK, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { companyCodePrefix, generateCompanyCode } from "./company-codes.ts";
import { issueInstallationToken, publicJwks, verifyInstallationToken } from "./installation-tokens.ts";
import { releaseReservation, reserveTenantDatabase } from "./tenant-pool.ts";

const key = (byte: number) => btoa(String.fromCharCode(...new Uint8Array(32).fill(byte)));

describe("company codes", () => {
  it("take a prefix from the name and 6 symbols of an unambiguous alphabet", () => {
    expect(companyCodePrefix("Acme Corp")).toBe("ACM");
    expect(companyCodePrefix("Ünïcode Wörks")).toBe("UNI");
    expect(companyCodePrefix("42")).toBe("NEX");
    const codes = new Set(Array.from({ length: 2000 }, () => generateCompanyCode("Acme")));
    expect(codes.size).toBe(2000);
    for (const code of codes) {
      expect(code).toMatch(/^ACM-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{6}$/);
      expect(code.length).toBeLessThanOrEqual(10);
    }
  });
});

describe("secrets at rest", () => {
  it("round-trips and binds the ciphertext to its company", async () => {
    const sealed = await encryptForCompany(env.ENCRYPTION_KEYS, "company-a", "s3cret");
    expect(sealed).not.toContain("s3cret");
    expect(await decryptForCompany(env.ENCRYPTION_KEYS, "company-a", sealed)).toBe("s3cret");
    await expect(decryptForCompany(env.ENCRYPTION_KEYS, "company-b", sealed)).rejects.toThrow();
  });

  it("encrypts with the newest key and still decrypts with older ones", async () => {
    const old = `1:${key(1)}`;
    const rotated = `1:${key(1)},2:${key(2)}`;
    const before = await encryptForCompany(old, "c", "value");
    const after = await encryptForCompany(rotated, "c", "value");
    expect(before.startsWith("v1.")).toBe(true);
    expect(after.startsWith("v2.")).toBe(true);
    expect(await decryptForCompany(rotated, "c", before)).toBe("value");
    await expect(decryptForCompany(old, "c", after)).rejects.toThrow(/version 2/);
  });

  it("detects tampering", async () => {
    const sealed = await encryptForCompany(env.ENCRYPTION_KEYS, "c", "value");
    const tampered = sealed.slice(0, -2) + (sealed.endsWith("A") ? "BB" : "AA");
    await expect(decryptForCompany(env.ENCRYPTION_KEYS, "c", tampered)).rejects.toThrow();
  });
});

describe("semantic versions", () => {
  it.each([
    ["1.2.3", "1.2.3", 0],
    ["1.2.3", "1.10.0", -1],
    ["v2.0.0", "1.99.99", 1],
    ["1.0.0-beta.2", "1.0.0", -1],
    ["1.0.0-beta.10", "1.0.0-beta.2", 1],
    ["1.0.0-alpha", "1.0.0-beta", -1],
  ])("compare(%s, %s) = %i", (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});

describe("tenant databases", () => {
  it("apply migrations once, recording them as wrangler does", async () => {
    expect(await applyTenantMigrations(env.TENANT_DB_0003)).toBe(latestTenantSchemaVersion);
    expect(await applyTenantMigrations(env.TENANT_DB_0003)).toBe(latestTenantSchemaVersion);
    const { results } = await env.TENANT_DB_0003.prepare("SELECT name FROM d1_migrations ORDER BY id").all();
    expect(results).toEqual(tenantMigrations.map(({ name }) => ({ name })));
    expect(results[0]).toEqual({ name: "0000_init.sql" });
  });

  it("never reserve one database twice, even under concurrency", async () => {
    const bindings = await Promise.all(
      Array.from({ length: 8 }, (_, i) => reserveTenantDatabase(env, `company-${i}`)),
    );
    expect(new Set(bindings).size).toBe(8);
    await expect(reserveTenantDatabase(env, "one-too-many")).rejects.toMatchObject({
      code: "TENANT_POOL_EXHAUSTED",
    });
    await releaseReservation(env, bindings[0] ?? "", "company-0");
    expect(await reserveTenantDatabase(env, "company-9")).toBe(bindings[0]);
  });

  it("take back a reservation whose registration died", async () => {
    for (let i = 0; i < 8; i++) await reserveTenantDatabase(env, `company-${i}`);
    await env.CENTRAL_DB.prepare("UPDATE tenant_db_pool SET reserved_at = ? WHERE company_id = 'company-3'")
      .bind(Date.now() - 11 * 60_000)
      .run();
    const reclaimed = await reserveTenantDatabase(env, "company-new");
    const row = await env.CENTRAL_DB.prepare("SELECT company_id FROM tenant_db_pool WHERE binding_name = ?")
      .bind(reclaimed)
      .first();
    expect(row).toEqual({ company_id: "company-new" });
  });
});

describe("installation token key rotation", () => {
  it("keeps old tokens valid while both keys are configured, and signs new ones with the first key", async () => {
    const [oldKey] = JSON.parse(env.JWT_SIGNING_KEYS) as [Record<string, unknown>];
    const { privateKey } = await generateKeyPair("EdDSA", { extractable: true });
    const newKey = { ...(await exportJWK(privateKey)), kid: "key-rotation-new" };
    const before = JSON.stringify([oldKey]);
    const during = JSON.stringify([newKey, oldKey]);
    const after = JSON.stringify([newKey]);
    const claims = { installationId: "i-1", companyId: "c-1" };

    const oldToken = (await issueInstallationToken(before, claims, 600)).token;
    expect(await verifyInstallationToken(during, oldToken)).toMatchObject(claims);
    const newToken = (await issueInstallationToken(during, claims, 600)).token;
    expect(decodeProtectedHeader(newToken).kid).toBe("key-rotation-new");
    expect((await publicJwks(during)).keys.map((k) => k.kid)).toEqual(["key-rotation-new", oldKey.kid]);
    // Once the old key is dropped, its tokens stop working; the new key's keep working.
    await expect(verifyInstallationToken(after, oldToken)).rejects.toMatchObject({ code: "INVALID_TOKEN" });
    expect(await verifyInstallationToken(after, newToken)).toMatchObject(claims);
  });
});
