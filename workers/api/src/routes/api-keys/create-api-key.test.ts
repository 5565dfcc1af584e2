import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

describe("creating company API keys", () => {
  it("stop working when they expire, and say so", async () => {
    const company = await registerCompany({ admin_email: "owner@expiring.example" });
    const owner = await companyOwner(company.company_id, "owner@expiring.example");
    const base = `/api/admin/companies/${company.company_id}`;
    const create = (body: Record<string, unknown>) =>
      call(`${base}/api-keys`, {
        headers: { cookie: owner },
        body: { name: "Nightly export", permissions: { installations: ["read"] }, ...body },
      });
    await expectError(await create({ expires_in_days: 0 }), 400, "VALIDATION_FAILED");
    const never = await json<{ api_key: { expires_at: string | null } }>(await create({}));
    expect(never.api_key.expires_at).toBeNull();

    const { key, api_key } = await json<{ key: string; api_key: { id: string; expires_at: string } }>(
      await create({ expires_in_days: 30 }),
    );
    const in30Days = Date.now() + 30 * 86_400_000;
    expect(Math.abs(Date.parse(api_key.expires_at) - in30Days)).toBeLessThan(60_000);
    const auth = { authorization: `Bearer ${key}` };
    expect((await call(`${base}/installations`, { headers: auth })).status).toBe(200);

    // A second past its expiry, the same key is refused.
    await env.CENTRAL_DB.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1000, api_key.id)
      .run();
    const refused = await expectError(
      await call(`${base}/installations`, { headers: auth }),
      401,
      "UNAUTHORIZED",
    );
    expect(refused.message).toContain("expired");
  });

  it("never carries more than its creator's role, nor key management, and refuses unknown permissions", async () => {
    const company = await registerCompany({ admin_email: "owner@keys2.example" });
    const owner = await companyOwner(company.company_id, "owner@keys2.example");
    const admin = await companyMember(owner, company.company_id, "admin@keys2.example", "admin");
    const base = `/api/admin/companies/${company.company_id}/api-keys`;
    // Admins may list keys but not create them (api_keys:manage is the owner's).
    expect((await call(base, { headers: { cookie: admin } })).status).toBe(200);
    await expectError(
      await call(base, {
        headers: { cookie: admin },
        body: { name: "x", permissions: { telemetry: ["read"] } },
      }),
      403,
      "FORBIDDEN",
    );
    for (const permissions of [
      { api_keys: ["manage"] },
      { nonsense: ["read"] },
      { installations: ["fly"] },
    ]) {
      await expectError(
        await call(base, { headers: { cookie: owner }, body: { name: "x", permissions } }),
        400,
        "VALIDATION_FAILED",
      );
    }
    await expectError(await callAsOperator(`${base}/nope/revoke`, { method: "POST" }), 404, "NOT_FOUND");
    await expectError(
      await call("/api/admin/tenant-pool", { token: "nxk_never-issued-key" }),
      401,
      "UNAUTHORIZED",
    );
  });
});

describe("company API keys created by an operator", () => {
  it("answer 201 with a working key, for plain names and with an expiry; an unknown company is a 404, not a 500", async () => {
    const company = await registerCompany({ admin_email: "owner@op-keys.example" });
    const base = `/api/admin/companies/${company.company_id}`;
    for (const body of [
      { name: "Plain", permissions: { installations: ["read"] } },
      { name: "ERP export 2026 (nightly)", permissions: { installations: ["read"] }, expires_in_days: 30 },
    ]) {
      const created = await callAsOperator(`${base}/api-keys`, { body });
      expect(created.status, await created.clone().text()).toBe(201);
      const { key, api_key } = await json<{ key: string; api_key: { created_by: string | null } }>(created);
      expect(api_key.created_by).toBe("admin-secret");
      expect((await call(`${base}/installations`, { token: key })).status).toBe(200);
    }
    const unknown = await expectError(
      await callAsOperator("/api/admin/companies/no-such-company/api-keys", {
        body: { name: "Plain", permissions: { installations: ["read"] }, expires_in_days: 30 },
      }),
      404,
      "COMPANY_NOT_FOUND",
    );
    expect(unknown.message).toContain("no-such-company");
    await expectError(
      await callAsOperator("/api/admin/companies/no-such-company/api-keys"),
      404,
      "COMPANY_NOT_FOUND",
    );
    const rows = await env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM api_keys").first<{ n: number }>();
    expect(rows?.n).toBe(2);
  });
});
