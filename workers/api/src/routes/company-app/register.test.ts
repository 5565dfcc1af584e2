import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { RegisterResponse } from "@nexus/contracts";
import { applyTenantMigrations, latestTenantSchemaVersion, tenantMigrations } from "@nexus/db";
import { describe, expect, it } from "vitest";
import {
  adminToken,
  call,
  callWithEnv,
  expectError,
  issuePaths,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import worker from "../../index.ts";

const body = { company_name: "Acme Tooling", admin_email: "owner@acme.example" };

async function companyCount(): Promise<number> {
  const row = await env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM companies").first<{ n: number }>();
  return row?.n ?? -1;
}

async function createRegistrationToken(): Promise<string> {
  const response = await call("/api/admin/registration-tokens", {
    token: adminToken(),
    body: { label: "test" },
  });
  expect(response.status).toBe(201);
  return (await json<{ token: string }>(response)).token;
}

describe("POST /api/company/register", () => {
  it("creates a company with a generated code and its own D1 database", async () => {
    const response = await call("/api/company/register", { token: adminToken(), body });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    const company = await json<RegisterResponse>(response);
    expect(company.success).toBe(true);
    expect(company.company_code).toMatch(/^ACM-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{6}$/);
    expect(company.subscription_status).toBe("active");
    expect(company.database_config).toEqual({
      provider: "d1",
      api_base_url: "http://nexus.test/api",
      schema_version: latestTenantSchemaVersion,
    });
    const database = await env.CENTRAL_DB.prepare(
      "SELECT provider, binding_name FROM company_databases WHERE company_id = ?",
    )
      .bind(company.company_id)
      .first<{ provider: string; binding_name: string }>();
    expect(database?.provider).toBe("d1");
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT action, actor_type FROM audit_logs WHERE company_id = ?",
    )
      .bind(company.company_id)
      .all();
    expect(audit.results).toEqual([{ action: "company.registered", actor_type: "operator" }]);
  });

  it("gives two companies two different tenant databases, each stamped with its owner", async () => {
    const first = await registerCompany();
    const second = await registerCompany();
    const rows = await env.CENTRAL_DB.prepare(
      "SELECT company_id, binding_name FROM company_databases WHERE company_id IN (?, ?)",
    )
      .bind(first.company_id, second.company_id)
      .all<{ company_id: string; binding_name: string }>();
    expect(rows.results).toHaveLength(2);
    const [a, b] = rows.results;
    expect(a?.binding_name).not.toBe(b?.binding_name);
    for (const row of rows.results) {
      const tenantDb = (env as unknown as Record<string, D1Database>)[row.binding_name];
      const owner = await tenantDb
        ?.prepare("SELECT company_id FROM tenant_info")
        .first<{ company_id: string }>();
      expect(owner?.company_id).toBe(row.company_id);
      const migrations = await tenantDb?.prepare("SELECT name FROM d1_migrations").all<{ name: string }>();
      expect(migrations?.results.map((m) => m.name)).toEqual(
        tenantMigrations.map((migration) => migration.name),
      );
    }
  });

  it("answers 503 TENANT_POOL_EXHAUSTED when every pooled database is taken, creating nothing", async () => {
    for (let i = 0; i < 8; i++) await registerCompany();
    const before = await companyCount();
    const token = await createRegistrationToken();
    const error = await expectError(
      await call("/api/company/register", { token, body }),
      503,
      "TENANT_POOL_EXHAUSTED",
    );
    expect(error.details).toEqual({ action: "retry" });
    expect(await companyCount()).toBe(before);
    // The registration token was not spent by the failed attempt.
    const used = await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM registration_tokens WHERE used_at IS NOT NULL",
    ).first<{
      n: number;
    }>();
    expect(used?.n).toBe(0);
    // A company with its own database needs no pooled one.
    const custom = await registerCompany({
      database_config: {
        provider: "custom",
        host: "db.acme.example",
        port: 5432,
        database: "nexus",
        username: "u",
        password: "p",
      },
    });
    expect(custom.database_config.provider).toBe("custom");
  });

  it("stores a custom database config encrypted and hands it to validated installations", async () => {
    const config = {
      provider: "custom" as const,
      host: "db.acme.example",
      port: 5432,
      database: "nexus",
      username: "nexus_app",
      password: "correct horse battery staple",
    };
    const company = await registerCompany({ database_config: config });
    const row = await env.CENTRAL_DB.prepare(
      "SELECT encrypted_config, binding_name FROM company_databases WHERE company_id = ?",
    )
      .bind(company.company_id)
      .first<{ encrypted_config: string; binding_name: string | null }>();
    expect(row?.binding_name).toBeNull();
    expect(row?.encrypted_config).toMatch(/^v1\./);
    expect(row?.encrypted_config).not.toContain("horse");
    const validated = await validatedMachine(company.company_code, "machine-1");
    expect(validated.database_config).toEqual({ ...config, engine: "postgresql", ssl: true });
  });

  describe("who may register", () => {
    it("refuses anonymous requests in token mode", async () => {
      await expectError(await call("/api/company/register", { body }), 401, "UNAUTHORIZED");
      expect(await companyCount()).toBe(0);
    });

    it("refuses a wrong bearer credential", async () => {
      await expectError(
        await call("/api/company/register", { token: "not-the-secret", body }),
        401,
        "REGISTRATION_TOKEN_INVALID",
      );
    });

    it("accepts a registration token exactly once", async () => {
      const token = await createRegistrationToken();
      const first = await call("/api/company/register", { token, body });
      expect(first.status).toBe(201);
      await expectError(
        await call("/api/company/register", { token, body: { ...body, company_name: "Second Co" } }),
        401,
        "REGISTRATION_TOKEN_INVALID",
      );
      expect(await companyCount()).toBe(1);
    });

    it("lets only operators choose a company code", async () => {
      const token = await createRegistrationToken();
      await expectError(
        await call("/api/company/register", { token, body: { ...body, company_code: "ACME-2024" } }),
        403,
        "FORBIDDEN",
      );
      const chosen = await registerCompany({ company_code: "acme-2024" });
      expect(chosen.company_code).toBe("ACME-2024");
      await expectError(
        await call("/api/company/register", {
          token: adminToken(),
          body: { ...body, company_code: "ACME-2024" },
        }),
        409,
        "COMPANY_CODE_TAKEN",
      );
    });

    it("accepts anonymous trial registrations when REGISTRATION_MODE=open", async () => {
      const response = await callWithEnv({ REGISTRATION_MODE: "open" }, "/api/company/register", { body });
      expect(response.status).toBe(201);
      const company = await json<RegisterResponse>(response);
      expect(company.subscription_status).toBe("trial");
      expect(Date.parse(company.expires_at ?? "")).toBeGreaterThan(Date.now() + 13 * 86_400_000);
    });
  });

  describe("Idempotency-Key", () => {
    it("returns the first response to a retry and creates nothing new", async () => {
      const headers = { "idempotency-key": "8a7c3e0e-6f43-4d7e-9b1b-5d1f0b6c2a11" };
      const first = await call("/api/company/register", { token: adminToken(), body, headers });
      const retry = await call("/api/company/register", { token: adminToken(), body, headers });
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(await json(retry)).toEqual(await json(first));
      expect(await companyCount()).toBe(1);
    });

    it("replays to a registration token's retry although the token is now spent", async () => {
      const token = await createRegistrationToken();
      const headers = { "idempotency-key": "retry-with-token-1" };
      const first = await json(await call("/api/company/register", { token, body, headers }));
      const retry = await call("/api/company/register", { token, body, headers });
      expect(retry.status).toBe(201);
      expect(await json(retry)).toEqual(first);
    });

    it("forgets keys after 24 hours: the daily purge removes them and a late retry runs anew", async () => {
      const headers = { "idempotency-key": "old-key" };
      expect((await call("/api/company/register", { token: adminToken(), body, headers })).status).toBe(201);
      await env.CENTRAL_DB.prepare("UPDATE idempotency_keys SET created_at = ?")
        .bind(Date.now() - 25 * 3_600_000)
        .run();
      const late = await call("/api/company/register", { token: adminToken(), body, headers });
      expect(late.status).toBe(201);
      expect(late.headers.get("idempotent-replayed")).toBeNull();
      expect(await companyCount()).toBe(2);

      await env.CENTRAL_DB.prepare("UPDATE idempotency_keys SET created_at = ?")
        .bind(Date.now() - 25 * 3_600_000)
        .run();
      const controller = createScheduledController({ scheduledTime: new Date(), cron: "17 3 * * *" });
      await worker.scheduled(controller, env);
      const left = await env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM idempotency_keys").first<{
        n: number;
      }>();
      expect(left?.n).toBe(0);
    });

    it("answers 409 while the first request with the key is still running", async () => {
      const headers = { "idempotency-key": "in-flight" };
      const first = call("/api/company/register", { token: adminToken(), body, headers });
      const second = call("/api/company/register", { token: adminToken(), body, headers });
      const statuses = (await Promise.all([first, second])).map((response) => response.status).sort();
      // Either the second one arrived while the first held the key, or after it finished.
      expect([
        [201, 201],
        [201, 409],
      ]).toContainEqual(statuses);
      expect(await companyCount()).toBe(1);
      // Deterministically: a key held by a request in flight.
      await env.CENTRAL_DB.prepare(
        "INSERT INTO idempotency_keys (scope, key, request_hash, status) SELECT scope, 'held', request_hash, 'in_progress' FROM idempotency_keys",
      ).run();
      const error = await expectError(
        await call("/api/company/register", {
          token: adminToken(),
          body,
          headers: { "idempotency-key": "held" },
        }),
        409,
        "IDEMPOTENCY_REQUEST_IN_PROGRESS",
      );
      expect(error.details).toEqual({ action: "retry" });
    });

    it("refuses the same key with a different body", async () => {
      const headers = { "idempotency-key": "reused-key" };
      expect((await call("/api/company/register", { token: adminToken(), body, headers })).status).toBe(201);
      await expectError(
        await call("/api/company/register", {
          token: adminToken(),
          body: { ...body, company_name: "Other" },
          headers,
        }),
        422,
        "IDEMPOTENCY_KEY_REUSED",
      );
      expect(await companyCount()).toBe(1);
    });

    it("lets a retry run again after a failed attempt", async () => {
      const headers = { "idempotency-key": "after-failure" };
      await registerCompany({ company_code: "TAKEN-1" });
      await expectError(
        await call("/api/company/register", {
          token: adminToken(),
          body: { ...body, company_code: "TAKEN-1" },
          headers,
        }),
        409,
        "COMPANY_CODE_TAKEN",
      );
      const retry = await call("/api/company/register", {
        token: adminToken(),
        body: { ...body, company_code: "TAKEN-1" },
        headers,
      });
      await expectError(retry, 409, "COMPANY_CODE_TAKEN");
    });
  });

  describe("what the registered company gets", () => {
    async function tokenWith(grant: Record<string, unknown>): Promise<string> {
      const response = await call("/api/admin/registration-tokens", { token: adminToken(), body: grant });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await json<{ token: string }>(response)).token;
    }
    const companyRow = (id: string) =>
      env.CENTRAL_DB.prepare(
        "SELECT subscription_status, subscription_tier, max_installations, max_users, expires_at FROM companies WHERE id = ?",
      )
        .bind(id)
        .first<Record<string, unknown>>();

    it("comes from the registration token: a body asking for enterprise gets the token's tier and limits", async () => {
      const token = await tokenWith({
        subscription_tier: "professional",
        max_installations: 7,
        subscription_days: 30,
      });
      const response = await call("/api/company/register", {
        token,
        body: { ...body, subscription_tier: "enterprise" },
      });
      expect(response.status).toBe(201);
      const company = await json<RegisterResponse>(response);
      expect(company).toMatchObject({ subscription_tier: "professional", subscription_status: "active" });
      expect(Math.abs(Date.parse(company.expires_at ?? "") - (Date.now() + 30 * 86_400_000))).toBeLessThan(
        60_000,
      );
      expect(await companyRow(company.company_id)).toMatchObject({
        subscription_tier: "professional",
        max_installations: 7,
        max_users: 100,
      });
      const audit = await env.CENTRAL_DB.prepare(
        "SELECT details FROM audit_logs WHERE action = 'company.registered' AND company_id = ?",
      )
        .bind(company.company_id)
        .first<{ details: string }>();
      expect(JSON.parse(audit?.details ?? "{}")).toMatchObject({
        tier: "professional",
        granted_by: "token",
        ignored_requested_tier: "enterprise",
      });

      // A token created without a tier gives the standard plan, with no end date.
      const plain = await json<RegisterResponse>(
        await call("/api/company/register", {
          token: await tokenWith({}),
          body: {
            company_name: "Greedy Co",
            admin_email: "x@greedy.example",
            subscription_tier: "enterprise",
          },
        }),
      );
      expect(plain).toMatchObject({ subscription_tier: "standard", expires_at: null });
      expect(await companyRow(plain.company_id)).toMatchObject({ max_installations: 5, max_users: 10 });
    });

    it("is a standard-tier trial for an anonymous open-mode registration, whatever the body asks", async () => {
      const response = await callWithEnv({ REGISTRATION_MODE: "open" }, "/api/company/register", {
        body: { ...body, subscription_tier: "enterprise" },
      });
      expect(response.status).toBe(201);
      const company = await json<RegisterResponse>(response);
      expect(company).toMatchObject({ subscription_tier: "standard", subscription_status: "trial" });
      expect(await companyRow(company.company_id)).toMatchObject({
        subscription_status: "trial",
        subscription_tier: "standard",
        max_installations: 5,
      });
    });

    it("is the operator's choice when an operator registers", async () => {
      const company = await registerCompany({ subscription_tier: "enterprise" });
      expect(company.subscription_tier).toBe("enterprise");
      expect(await companyRow(company.company_id)).toMatchObject({ max_installations: 1000 });
    });
  });

  describe("crash safety", () => {
    const central = (statement: string) => env.CENTRAL_DB.prepare(statement).run();
    const tenantDbs = () =>
      Object.entries(env)
        .filter(([name]) => /^TENANT_DB_\d+$/.test(name))
        .map(([, binding]) => binding as D1Database);
    const raise = (name: string, when: string) =>
      `CREATE TRIGGER ${name} ${when} BEGIN SELECT RAISE(ABORT, 'injected fault: ${name}'); END`;

    // A crash: the Worker dies at the fault, so none of its clean-up writes land either.
    const crashTriggers = [
      raise("no_token_undo", "BEFORE UPDATE OF used_at ON registration_tokens WHEN NEW.used_at IS NULL"),
      raise("no_pool_release", "BEFORE UPDATE ON tenant_db_pool WHEN NEW.status = 'free'"),
      raise("no_key_release", "BEFORE DELETE ON idempotency_keys"),
    ];

    // Each step of a registration, and how a test makes it fail for real.
    const faults: { step: string; inject: () => Promise<unknown>; heal: () => Promise<unknown> }[] = [
      {
        step: "claiming the token",
        inject: () => central(raise("fault", "BEFORE UPDATE ON registration_tokens")),
        heal: () => central("DROP TRIGGER fault"),
      },
      {
        step: "reserving a tenant database",
        inject: () => central(raise("fault", "BEFORE UPDATE ON tenant_db_pool WHEN NEW.status = 'reserved'")),
        heal: () => central("DROP TRIGGER fault"),
      },
      {
        step: "migrating the tenant database",
        inject: () =>
          Promise.all(
            tenantDbs().map((db) =>
              db.batch([
                db.prepare(
                  "CREATE TABLE d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
                ),
                db.prepare(raise("fault", "BEFORE INSERT ON d1_migrations")),
              ]),
            ),
          ),
        heal: () => Promise.all(tenantDbs().map((db) => db.prepare("DROP TRIGGER fault").run())),
      },
      {
        step: "stamping the tenant database",
        inject: () =>
          Promise.all(
            tenantDbs().map(async (db) => {
              await applyTenantMigrations(db);
              await db.prepare(raise("fault", "BEFORE INSERT ON tenant_info")).run();
            }),
          ),
        heal: () => Promise.all(tenantDbs().map((db) => db.prepare("DROP TRIGGER fault").run())),
      },
      {
        step: "writing the company (the central batch)",
        inject: () =>
          central(raise("fault", "BEFORE INSERT ON audit_logs WHEN NEW.action = 'company.registered'")),
        heal: () => central("DROP TRIGGER fault"),
      },
    ];

    for (const { step, inject, heal } of faults) {
      it(`leaves no used token without a company when it dies ${step}, and its retry registers the company`, async () => {
        const token = await createRegistrationToken();
        const headers = { "idempotency-key": "crash-retry" };
        for (const trigger of crashTriggers) await central(trigger);
        await inject();
        const failed = await call("/api/company/register", { token, body, headers });
        expect(failed.status).toBeGreaterThanOrEqual(500);

        expect(await companyCount()).toBe(0);
        const tokenRow = await env.CENTRAL_DB.prepare(
          "SELECT used_at, used_by_company_id FROM registration_tokens",
        ).first<{ used_at: number | null; used_by_company_id: string | null }>();
        expect(tokenRow?.used_at).toBeNull();
        for (const table of ["organization", "invitation", "company_databases"]) {
          const row = await env.CENTRAL_DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{
            n: number;
          }>();
          expect(row?.n, table).toBe(0);
        }
        const listed = await json<{ tokens: { state: string; used_by_company_id: string | null }[] }>(
          await call("/api/admin/registration-tokens", { token: adminToken() }),
        );
        expect(listed.tokens[0]).toMatchObject({ state: "active", used_by_company_id: null });

        await heal();
        for (const name of ["no_token_undo", "no_pool_release", "no_key_release"]) {
          await central(`DROP TRIGGER ${name}`);
        }
        // The dead request never released its Idempotency-Key; past the time a registration can
        // take, the retry takes it over.
        await env.CENTRAL_DB.prepare("UPDATE idempotency_keys SET created_at = ?")
          .bind(Date.now() - 11 * 60_000)
          .run();
        const retry = await call("/api/company/register", { token, body, headers });
        expect(retry.status, await retry.clone().text()).toBe(201);
        const company = await json<RegisterResponse>(retry);
        expect(await companyCount()).toBe(1);
        if (tokenRow?.used_by_company_id) expect(company.company_id).toBe(tokenRow.used_by_company_id);
        const used = await env.CENTRAL_DB.prepare(
          "SELECT used_at, used_by_company_id FROM registration_tokens",
        ).first<{ used_at: number | null; used_by_company_id: string }>();
        expect(used?.used_at).not.toBeNull();
        expect(used?.used_by_company_id).toBe(company.company_id);
        // The company holds exactly one pooled database; nothing stays reserved for it.
        const pool = await env.CENTRAL_DB.prepare(
          "SELECT status, count(*) AS n FROM tenant_db_pool WHERE company_id = ? GROUP BY status",
        )
          .bind(company.company_id)
          .all<{ status: string; n: number }>();
        expect(pool.results).toEqual([{ status: "assigned", n: 1 }]);
        // And a second retry answers with the same company.
        const again = await call("/api/company/register", { token, body, headers });
        expect(await json(again)).toEqual(company);
      });
    }

    it("answers a token's retry without an Idempotency-Key with the company it registered", async () => {
      const token = await createRegistrationToken();
      const first = await json<RegisterResponse>(await call("/api/company/register", { token, body }));
      const retry = await call("/api/company/register", { token, body });
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(await json(retry)).toEqual(first);
      expect(await companyCount()).toBe(1);
      // Another company with the spent token, or the same one a day later, is refused.
      await expectError(
        await call("/api/company/register", { token, body: { ...body, company_name: "Other Co" } }),
        401,
        "REGISTRATION_TOKEN_INVALID",
      );
      await env.CENTRAL_DB.prepare("UPDATE registration_tokens SET used_at = ?")
        .bind(Date.now() - 25 * 3_600_000)
        .run();
      await expectError(
        await call("/api/company/register", { token, body }),
        401,
        "REGISTRATION_TOKEN_INVALID",
      );
    });

    it("registers one company from concurrent requests with one token", async () => {
      const token = await createRegistrationToken();
      const responses = await Promise.all([
        call("/api/company/register", { token, body }),
        call("/api/company/register", { token, body }),
      ]);
      // Both work on the same company id; the one that loses may fail midway (both migrating one
      // database) or answer with the winner's company. Either way one company exists, and a retry
      // answers with it.
      const created = responses.filter((response) => response.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      const ids = new Set(
        (await Promise.all(created.map((response) => json<RegisterResponse>(response)))).map(
          (company) => company.company_id,
        ),
      );
      expect(ids.size).toBe(1);
      expect(await companyCount()).toBe(1);
      const retry = await json<RegisterResponse>(await call("/api/company/register", { token, body }));
      expect(ids.has(retry.company_id)).toBe(true);
    });

    it("keeps a token claimed by a registration in progress from being revoked", async () => {
      const token = await createRegistrationToken();
      await central(raise("fault", "BEFORE INSERT ON companies"));
      expect((await call("/api/company/register", { token, body })).status).toBe(500);
      const { id } = (await env.CENTRAL_DB.prepare("SELECT id FROM registration_tokens").first<{
        id: string;
      }>()) ?? {
        id: "",
      };
      await expectError(
        await call(`/api/admin/registration-tokens/${id}/revoke`, { method: "POST", token: adminToken() }),
        409,
        "REGISTRATION_TOKEN_USED",
      );
      // A claim that outlived any registration no longer protects the token.
      await env.CENTRAL_DB.prepare("UPDATE registration_tokens SET claimed_at = ?")
        .bind(Date.now() - 11 * 60_000)
        .run();
      const revoked = await call(`/api/admin/registration-tokens/${id}/revoke`, {
        method: "POST",
        token: adminToken(),
      });
      expect(revoked.status).toBe(200);
      await central("DROP TRIGGER fault");
      await expectError(
        await call("/api/company/register", { token, body }),
        401,
        "REGISTRATION_TOKEN_INVALID",
      );
      expect(await companyCount()).toBe(0);
    });
  });

  it("answers 500 CONFIGURATION_ERROR naming a bad secret, without its value", async () => {
    const error = await expectError(
      await callWithEnv({ ENCRYPTION_KEYS: "my-weak-key" }, "/api/company/register", {
        token: adminToken(),
        body,
      }),
      500,
      "CONFIGURATION_ERROR",
    );
    expect(error.message).toContain("ENCRYPTION_KEYS");
    expect(error.message).not.toContain("my-weak-key");
    expect(await companyCount()).toBe(0);
  });

  describe("bad input", () => {
    it("answers malformed JSON with 400 MALFORMED_JSON", async () => {
      await expectError(
        await call("/api/company/register", { token: adminToken(), body: '{"company_name": "Acme",' }),
        400,
        "MALFORMED_JSON",
      );
    });

    it("names each field with a wrong type or missing", async () => {
      const error = await expectError(
        await call("/api/company/register", {
          token: adminToken(),
          body: { company_name: 42, admin_email: "nope" },
        }),
        400,
        "VALIDATION_FAILED",
      );
      const paths = issuePaths(error);
      expect(paths).toEqual(expect.arrayContaining(["company_name", "admin_email"]));
      expect(error.message).toContain("admin_email");
    });

    it("reports the missing fields of an empty body", async () => {
      const error = await expectError(
        await call("/api/company/register", { token: adminToken(), method: "POST" }),
        400,
        "VALIDATION_FAILED",
      );
      expect(error.message).toContain("company_name");
    });

    it("refuses a body that is not an object", async () => {
      await expectError(
        await call("/api/company/register", { token: adminToken(), body: "[1,2]" }),
        400,
        "VALIDATION_FAILED",
      );
    });

    it("answers an oversized body with 413", async () => {
      const huge = { ...body, company_name: "x".repeat(70 * 1024) };
      await expectError(
        await call("/api/company/register", { token: adminToken(), body: huge }),
        413,
        "PAYLOAD_TOO_LARGE",
      );
      expect(await companyCount()).toBe(0);
    });

    it("answers a form-encoded body with 415", async () => {
      await expectError(
        await call("/api/company/register", {
          token: adminToken(),
          body: "company_name=Acme",
          headers: { "content-type": "application/x-www-form-urlencoded" },
        }),
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      );
    });

    it("refuses an invalid Idempotency-Key", async () => {
      await expectError(
        await call("/api/company/register", {
          token: adminToken(),
          body,
          headers: { "idempotency-key": "has space" },
        }),
        400,
        "VALIDATION_FAILED",
      );
    });
  });
});
