import { env } from "cloudflare:workers";
import { latestTenantSchemaVersion } from "@nexus/db";
import { describe, expect, it } from "vitest";
import {
  adminToken,
  call,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";

interface AuditEntry {
  id: string;
  action: string;
  ip_address: string | null;
  user_agent: string | null;
  request_id: string | null;
}

describe("operator: audit log", () => {
  it("records actor, action, target, IP and user agent, and pages with a cursor", async () => {
    const company = await registerCompany();
    for (const machine of ["m1", "m2", "m3"]) await validatedMachine(company.company_code, machine);
    await call(`/api/admin/companies/${company.company_id}/suspend`, {
      token: adminToken(),
      body: {},
      headers: {
        "cf-connecting-ip": "203.0.113.9",
        "user-agent": "ops-console/1.0",
        "x-request-id": "req-audit-0001",
      },
    });
    const first = await json<{ entries: AuditEntry[]; next_cursor: string }>(
      await call(`/api/admin/companies/${company.company_id}/audit-log?limit=2`, { token: adminToken() }),
    );
    expect(first.entries[0]).toMatchObject({
      action: "company.suspended",
      ip_address: "203.0.113.9",
      user_agent: "ops-console/1.0",
      request_id: "req-audit-0001",
    });
    const rest = await json<{ entries: AuditEntry[]; next_cursor: string | null }>(
      await call(`/api/admin/companies/${company.company_id}/audit-log?cursor=${first.next_cursor}`, {
        token: adminToken(),
      }),
    );
    expect([...first.entries, ...rest.entries].map((e) => e.action)).toEqual([
      "company.suspended",
      "installation.activated",
      "installation.activated",
      "installation.activated",
      "company.registered",
    ]);
    expect(rest.next_cursor).toBeNull();
  });

  it("filters by actor, action and time", async () => {
    const company = await registerCompany();
    await validatedMachine(company.company_code, "m1");
    const before = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await call(`/api/admin/companies/${company.company_id}/suspend`, { token: adminToken(), body: {} });
    const query = async (q: string) =>
      (
        await json<{ entries: AuditEntry[] }>(
          await call(`/api/admin/companies/${company.company_id}/audit-log?${q}`, { token: adminToken() }),
        )
      ).entries.map((e) => e.action);
    expect(await query("actor_type=operator")).toEqual(["company.suspended", "company.registered"]);
    expect(await query("actor_type=installation")).toEqual(["installation.activated"]);
    expect(await query("actor_id=admin-secret&action=company.suspended")).toEqual(["company.suspended"]);
    expect(await query(`from=${encodeURIComponent(before)}`)).toEqual(["company.suspended"]);
    expect(await query(`to=${encodeURIComponent(before)}`)).toEqual([
      "installation.activated",
      "company.registered",
    ]);
    const bad = await call(`/api/admin/companies/${company.company_id}/audit-log?from=yesterday`, {
      token: adminToken(),
    });
    expect(bad.status).toBe(400);
  });

  it("shows one company's entries only", async () => {
    const a = await registerCompany();
    const b = await registerCompany();
    await validatedMachine(b.company_code, "b-machine");
    const entries = await json<{ entries: { company_id: string }[] }>(
      await call(`/api/admin/companies/${a.company_id}/audit-log`, { token: adminToken() }),
    );
    expect(entries.entries.every((e) => e.company_id === a.company_id)).toBe(true);
    expect(entries.entries).toHaveLength(1);
  });

  it("lists the actions a company's log holds, with counts, and only its own", async () => {
    const a = await registerCompany();
    const b = await registerCompany();
    for (const shift of ["early", "late"]) {
      await call(`/api/admin/companies/${a.company_id}/settings`, {
        token: adminToken(),
        method: "PUT",
        body: { settings: { shift } },
      });
    }
    await call(`/api/admin/companies/${b.company_id}/suspend`, {
      token: adminToken(),
      method: "POST",
      body: {},
    });
    const listed = await json<{ actions: { action: string; entries: number }[] }>(
      await call(`/api/admin/companies/${a.company_id}/audit-log/actions`, { token: adminToken() }),
    );
    expect(listed.actions).toEqual([
      { action: "company.registered", entries: 1 },
      { action: "company.settings_changed", entries: 2 },
    ]);
  });
});

describe("operator: registration tokens", () => {
  it("shows the token once and stores only its hash", async () => {
    const response = await call("/api/admin/registration-tokens", {
      token: adminToken(),
      body: { label: "Acme onboarding", expires_in_hours: 2 },
    });
    expect(response.status).toBe(201);
    const created = await json<{ id: string; token: string; expires_at: string }>(response);
    expect(created.token).toMatch(/^nxr_[\w-]{43}$/);
    const row = await env.CENTRAL_DB.prepare("SELECT * FROM registration_tokens WHERE id = ?")
      .bind(created.id)
      .first();
    expect(JSON.stringify(row)).not.toContain(created.token);
    expect(Date.parse(created.expires_at) - Date.now()).toBeGreaterThan(7_100_000);
  });

  it("lists tokens by state without their secrets, and revokes an unused one", async () => {
    const create = async (label: string) =>
      json<{ id: string; token: string }>(
        await call("/api/admin/registration-tokens", { token: adminToken(), body: { label } }),
      );
    const spent = await create("spent");
    const revoked = await create("to revoke");
    const kept = await create("kept");
    const registered = await call("/api/company/register", {
      token: spent.token,
      body: { company_name: "Token Spender", admin_email: "spender@example.com" },
    });
    expect(registered.status).toBe(201);

    const revoke = await call(`/api/admin/registration-tokens/${revoked.id}/revoke`, {
      token: adminToken(),
      method: "POST",
    });
    expect(revoke.status).toBe(200);
    expect((await json<{ token: { state: string } }>(revoke)).token.state).toBe("revoked");
    // Revoking twice changes nothing; a used token cannot be revoked; an unknown one is 404.
    const again = await call(`/api/admin/registration-tokens/${revoked.id}/revoke`, {
      token: adminToken(),
      method: "POST",
    });
    expect((await json<{ token: { state: string } }>(again)).token.state).toBe("revoked");
    await expectError(
      await call(`/api/admin/registration-tokens/${spent.id}/revoke`, {
        token: adminToken(),
        method: "POST",
      }),
      409,
      "REGISTRATION_TOKEN_USED",
    );
    await expectError(
      await call("/api/admin/registration-tokens/no-such-token/revoke", {
        token: adminToken(),
        method: "POST",
      }),
      404,
      "NOT_FOUND",
    );

    // The revoked token no longer registers anything.
    await expectError(
      await call("/api/company/register", {
        token: revoked.token,
        body: { company_name: "Too Late", admin_email: "late@example.com" },
      }),
      401,
      "REGISTRATION_TOKEN_INVALID",
    );

    const listed = await call("/api/admin/registration-tokens?limit=200", { token: adminToken() });
    const text = await listed.text();
    for (const secret of [spent.token, revoked.token, kept.token]) expect(text).not.toContain(secret);
    const states = new Map(
      (
        JSON.parse(text) as { tokens: { id: string; state: string; used_by_company_id: string | null }[] }
      ).tokens.map((token) => [token.id, token]),
    );
    expect(states.get(spent.id)).toMatchObject({ state: "used" });
    expect(states.get(spent.id)?.used_by_company_id).toBeTruthy();
    expect(states.get(revoked.id)).toMatchObject({ state: "revoked" });
    expect(states.get(kept.id)).toMatchObject({ state: "active" });

    const active = await json<{ tokens: { id: string }[] }>(
      await call("/api/admin/registration-tokens?state=active&limit=200", { token: adminToken() }),
    );
    expect(active.tokens.map((token) => token.id)).toContain(kept.id);
    expect(active.tokens.map((token) => token.id)).not.toContain(revoked.id);
    expect(active.tokens.map((token) => token.id)).not.toContain(spent.id);
  });

  it("refuses an expired registration token", async () => {
    const created = await json<{ id: string; token: string }>(
      await call("/api/admin/registration-tokens", { token: adminToken(), body: {} }),
    );
    await env.CENTRAL_DB.prepare("UPDATE registration_tokens SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1000, created.id)
      .run();
    await expectError(
      await call("/api/company/register", {
        token: created.token,
        body: { company_name: "Late", admin_email: "a@b.co" },
      }),
      401,
      "REGISTRATION_TOKEN_INVALID",
    );
  });

  it("validates the request", async () => {
    await expectError(
      await call("/api/admin/registration-tokens", { token: adminToken(), body: { expires_in_hours: 0 } }),
      400,
      "VALIDATION_FAILED",
    );
    for (const body of [
      { subscription_tier: "platinum" },
      { max_installations: -1 },
      { max_users: "ten" },
      { subscription_days: 0 },
    ]) {
      await expectError(
        await call("/api/admin/registration-tokens", { token: adminToken(), body }),
        400,
        "VALIDATION_FAILED",
      );
    }
  });

  it("carries the plan the operator chose, shown on creation and in the list", async () => {
    const created = await json<Record<string, unknown>>(
      await call("/api/admin/registration-tokens", {
        token: adminToken(),
        body: {
          label: "big customer",
          subscription_tier: "enterprise",
          max_installations: 300,
          subscription_days: 365,
        },
      }),
    );
    const plan = {
      subscription_tier: "enterprise",
      max_installations: 300,
      max_users: 2000,
      subscription_days: 365,
    };
    expect(created).toMatchObject(plan);
    const plain = await json<Record<string, unknown>>(
      await call("/api/admin/registration-tokens", { token: adminToken(), body: {} }),
    );
    expect(plain).toMatchObject({
      subscription_tier: "standard",
      max_installations: 5,
      max_users: 10,
      subscription_days: null,
    });
    const listed = await json<{ tokens: Record<string, unknown>[] }>(
      await call("/api/admin/registration-tokens", { token: adminToken() }),
    );
    expect(listed.tokens.find((token) => token.id === created.id)).toMatchObject(plan);
  });
});

describe("operator: tenant pool", () => {
  it("reports the pool from the deployment's bindings and what registration took", async () => {
    const company = await registerCompany();
    const status = await json<{
      bindings: number;
      free: number;
      assigned: number;
      databases: {
        binding_name: string;
        status: string;
        company_id: string | null;
        schema_version: string | null;
      }[];
    }>(await call("/api/admin/tenant-pool", { token: adminToken() }));
    expect(status.bindings).toBe(8);
    expect(status.free).toBe(7);
    expect(status.assigned).toBe(1);
    const assigned = status.databases.find((d) => d.status === "assigned");
    expect(assigned).toMatchObject({
      company_id: company.company_id,
      schema_version: latestTenantSchemaVersion,
    });
  });
});
