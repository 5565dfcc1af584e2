import { env } from "cloudflare:workers";
import type { ValidateResponse } from "@nexus/contracts";
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  adminToken,
  call,
  expectError,
  issuePaths,
  json,
  registerCompany,
  validateMachine,
} from "../../../test/helpers.ts";

async function activeSeats(companyId: string): Promise<number> {
  const row = await env.CENTRAL_DB.prepare(
    "SELECT count(*) AS n FROM installations WHERE company_id = ? AND is_active = 1",
  )
    .bind(companyId)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

async function setLimit(companyId: string, maxInstallations: number) {
  const response = await call(`/api/admin/companies/${companyId}`, {
    method: "PATCH",
    token: adminToken(),
    body: { max_installations: maxInstallations },
  });
  expect(response.status).toBe(200);
}

describe("POST /api/company/validate", () => {
  it("joins a machine and returns company data with a verifiable installation token", async () => {
    const company = await registerCompany({ company_name: "Globex" });
    const response = await validateMachine(company.company_code.toLowerCase(), "cpu-mac-1", {
      username: "jdoe",
      os_version: "Windows 11",
    });
    expect(response.status).toBe(200);
    const body = await json<ValidateResponse>(response);
    expect(body).toMatchObject({
      success: true,
      company_id: company.company_id,
      company_name: "Globex",
      settings: {},
      update_channel: "stable",
      database_config: { provider: "d1" },
    });
    const jwks = await json<{ keys: JsonWebKey[] }>(await call("/.well-known/jwks.json"));
    const { payload, protectedHeader } = await jwtVerify(
      body.installation.token,
      createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]),
    );
    expect(protectedHeader.alg).toBe("EdDSA");
    expect(payload.sub).toBe(body.installation.id);
    expect(payload.cid).toBe(company.company_id);
    expect(Date.parse(body.installation.token_expires_at)).toBe((payload.exp ?? 0) * 1000);
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT actor_type, target_id FROM audit_logs WHERE action = 'installation.activated'",
    ).all();
    expect(audit.results).toEqual([{ actor_type: "installation", target_id: body.installation.id }]);
  });

  it("keeps one installation per machine: validating again takes no second seat", async () => {
    const company = await registerCompany();
    const first = await json<ValidateResponse>(await validateMachine(company.company_code, "m-1"));
    const again = await json<ValidateResponse>(
      await validateMachine(company.company_code, "m-1", { hostname: "renamed", app_version: "1.1.0" }),
    );
    expect(again.installation.id).toBe(first.installation.id);
    expect(await activeSeats(company.company_id)).toBe(1);
    const row = await env.CENTRAL_DB.prepare("SELECT hostname, app_version FROM installations WHERE id = ?")
      .bind(first.installation.id)
      .first();
    expect(row).toEqual({ hostname: "renamed", app_version: "1.1.0" });
    const activations = await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM audit_logs WHERE action = 'installation.activated'",
    ).first<{ n: number }>();
    expect(activations?.n).toBe(1);
  });

  it("answers 409 INSTALLATION_LIMIT_REACHED past max_installations, but lets joined machines back in", async () => {
    const company = await registerCompany();
    await setLimit(company.company_id, 2);
    expect((await validateMachine(company.company_code, "a")).status).toBe(200);
    expect((await validateMachine(company.company_code, "b")).status).toBe(200);
    const error = await expectError(
      await validateMachine(company.company_code, "c"),
      409,
      "INSTALLATION_LIMIT_REACHED",
    );
    expect(error.details?.max_installations).toBe(2);
    expect((await validateMachine(company.company_code, "a")).status).toBe(200);
    expect(await activeSeats(company.company_id)).toBe(2);
  });

  it("lets exactly max_installations of many concurrent validates through", async () => {
    const company = await registerCompany();
    await setLimit(company.company_id, 5);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => validateMachine(company.company_code, `racer-${i}`)),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 409)).toHaveLength(15);
    expect(await activeSeats(company.company_id)).toBe(5);
  });

  it("answers 404 COMPANY_NOT_FOUND for an unknown code", async () => {
    const error = await expectError(await validateMachine("NOP-222222", "m"), 404, "COMPANY_NOT_FOUND");
    expect(error.message).toContain("NOP-222222");
  });

  it("refuses a suspended company with 403 COMPANY_SUSPENDED", async () => {
    const company = await registerCompany();
    await call(`/api/admin/companies/${company.company_id}/suspend`, {
      token: adminToken(),
      body: { reason: "unpaid" },
    });
    await expectError(await validateMachine(company.company_code, "m"), 403, "COMPANY_SUSPENDED");
    expect(await activeSeats(company.company_id)).toBe(0);
    await call(`/api/admin/companies/${company.company_id}/resume`, { token: adminToken(), method: "POST" });
    expect((await validateMachine(company.company_code, "m")).status).toBe(200);
  });

  it("refuses an expired subscription with 403 SUBSCRIPTION_EXPIRED", async () => {
    const company = await registerCompany();
    const patch = await call(`/api/admin/companies/${company.company_id}`, {
      method: "PATCH",
      token: adminToken(),
      body: { expires_at: new Date(Date.now() - 60_000).toISOString() },
    });
    expect(patch.status).toBe(200);
    await expectError(await validateMachine(company.company_code, "m"), 403, "SUBSCRIPTION_EXPIRED");
  });

  it("accepts the seed app's request: JSON without a Content-Type and only the three fields", async () => {
    const company = await registerCompany();
    const response = await call("/api/company/validate", {
      body: JSON.stringify({
        company_code: company.company_code,
        machine_id: "seed-machine",
        hostname: "DESKTOP-1",
      }),
      headers: { "content-type": "text/plain;charset=UTF-8" },
    });
    expect(response.status).toBe(200);
  });

  it("names the bad fields", async () => {
    const error = await expectError(
      await call("/api/company/validate", {
        body: { company_code: "A", machine_id: "", app_version: "latest" },
      }),
      400,
      "VALIDATION_FAILED",
    );
    const paths = issuePaths(error);
    expect(paths).toEqual(["app_version", "company_code", "hostname", "machine_id"]);
  });
});
