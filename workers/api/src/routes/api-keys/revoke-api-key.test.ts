import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";

interface ApiKey {
  id: string;
  prefix: string;
  permissions: Record<string, string[]>;
  last_used_at: string | null;
  revoked_at: string | null;
}

describe("company API keys", () => {
  it("are shown once, stored hashed, work within their permissions, and stop at once when revoked", async () => {
    const company = await registerCompany({ admin_email: "owner@keys.example" });
    const owner = await companyOwner(company.company_id, "owner@keys.example");
    const base = `/api/admin/companies/${company.company_id}`;
    const created = await call(`${base}/api-keys`, {
      headers: { cookie: owner },
      body: { name: "ERP sync", permissions: { installations: ["read"], audit_log: ["read"] } },
    });
    expect(created.status).toBe(201);
    const { key, api_key } = await json<{ key: string; api_key: ApiKey }>(created);
    expect(key).toMatch(/^nxk_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(api_key.prefix)).toBe(true);
    const stored = await env.CENTRAL_DB.prepare("SELECT * FROM api_keys").all<Record<string, unknown>>();
    expect(JSON.stringify(stored.results)).not.toContain(key.slice(api_key.prefix.length));

    const auth = { authorization: `Bearer ${key}` };
    expect((await call(`${base}/installations`, { headers: auth })).status).toBe(200);
    expect((await call(`${base}/audit-log?actor_type=api_key`, { headers: auth })).status).toBe(200);
    await expectError(
      await call(`${base}/settings`, { method: "PUT", headers: auth, body: { settings: {} } }),
      403,
      "FORBIDDEN",
    );
    await expectError(await call("/api/admin/companies", { headers: auth }), 403, "FORBIDDEN");

    const listed = await json<{ api_keys: ApiKey[] }>(
      await call(`${base}/api-keys`, { headers: { cookie: owner } }),
    );
    expect(listed.api_keys.map((k) => k.id)).toEqual([api_key.id]);
    expect(JSON.stringify(listed)).not.toContain(key);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const used = await env.CENTRAL_DB.prepare("SELECT last_used_at FROM api_keys WHERE id = ?")
      .bind(api_key.id)
      .first<{ last_used_at: number | null }>();
    expect(used?.last_used_at).not.toBeNull();

    const revoked = await call(`${base}/api-keys/${api_key.id}/revoke`, {
      method: "POST",
      headers: { cookie: owner },
    });
    expect((await json<{ api_key: ApiKey }>(revoked)).api_key.revoked_at).not.toBeNull();
    await expectError(await call(`${base}/installations`, { headers: auth }), 401, "UNAUTHORIZED");
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT action FROM audit_logs WHERE target_id = ? ORDER BY id",
    )
      .bind(api_key.id)
      .all<{ action: string }>();
    expect(audit.results.map((row) => row.action)).toEqual(["api_key.created", "api_key.revoked"]);
  });
});
