import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { RegisterResponse } from "@nexus/contracts";
import { latestTenantSchemaVersion, tenantMigrations } from "@nexus/db";
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
