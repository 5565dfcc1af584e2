import { env } from "cloudflare:workers";
import type { ValidateResponse } from "@nexus/contracts";
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  adminToken,
  call,
  callAsOperator,
  callWithEnv,
  expectError,
  installationSecretOf,
  ipFor,
  issuePaths,
  json,
  registerCompany,
  validatedMachine,
  validateMachine,
} from "../../../test/helpers.ts";
import { signInstallationToken } from "../../../test/installation-tokens.ts";

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

describe("POST /api/company/validate: a machine_id is not a secret", () => {
  const DAY = 86_400;

  /** Another device claiming a machine_id: its own IP and hostname, and whatever proof it has. */
  function validateFrom(
    device: string,
    companyCode: string,
    machineId: string,
    proof: { secret?: string; token?: string } = {},
  ) {
    return call("/api/company/validate", {
      headers: { "cf-connecting-ip": ipFor(device) },
      ...(proof.token ? { token: proof.token } : {}),
      body: {
        company_code: companyCode,
        machine_id: machineId,
        hostname: `${device}-host`,
        app_version: "9.9.9",
        ...(proof.secret ? { installation_secret: proof.secret } : {}),
      },
    });
  }

  const installationRow = (id: string) =>
    env.CENTRAL_DB.prepare("SELECT * FROM installations WHERE id = ?").bind(id).first();

  const countRows = async (table: "audit_logs" | "webhook_events") =>
    (await env.CENTRAL_DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n;

  async function victim() {
    const company = await registerCompany();
    const response = await validateFrom("victim", company.company_code, "victim-pc");
    expect(response.status).toBe(200);
    const joined = await json<ValidateResponse>(response);
    expect(joined.installation.secret).toMatch(/^nxi_[\w-]{43}$/);
    return { company, joined, secret: joined.installation.secret ?? "" };
  }

  it("binds the machine on its first validate; another device with its machine_id is refused and changes nothing", async () => {
    const { company, joined } = await victim();
    const hashed = await env.CENTRAL_DB.prepare("SELECT secret_hash FROM installations WHERE id = ?")
      .bind(joined.installation.id)
      .first<{ secret_hash: string }>();
    // Only the hash is kept.
    expect(hashed?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashed?.secret_hash).not.toContain(joined.installation.secret);
    const before = await installationRow(joined.installation.id);
    const [audits, events] = [await countRows("audit_logs"), await countRows("webhook_events")];

    // The attacker copies the victim's machine_id: without proof, with a made-up secret, and with a
    // valid token of its own installation in the same company.
    const error = await expectError(
      await validateFrom("attacker", company.company_code, "victim-pc"),
      409,
      "INSTALLATION_BOUND",
    );
    expect(error.message).toContain("installation secret");
    expect(error.details).toEqual({ action: "contact_admin" });
    await expectError(
      await validateFrom("attacker", company.company_code, "victim-pc", { secret: "x".repeat(43) }),
      409,
      "INSTALLATION_BOUND",
    );
    const own = await json<ValidateResponse>(
      await validateFrom("attacker", company.company_code, "attacker-pc"),
    );
    await expectError(
      await validateFrom("attacker", company.company_code, "victim-pc", { token: own.installation.token }),
      409,
      "INSTALLATION_BOUND",
    );

    expect(await installationRow(joined.installation.id)).toEqual(before);
    expect(before).toMatchObject({ hostname: "victim-host", is_active: 1 });
    // Only the attacker's own machine joined meanwhile (one activation audit row and one event).
    expect(await countRows("audit_logs")).toBe((audits ?? 0) + 1);
    expect(await countRows("webhook_events")).toBe((events ?? 0) + 1);
  });

  it("lets the machine back in with its secret, keeping its installation and answering no new secret", async () => {
    const { company, joined, secret } = await victim();
    const again = await validateFrom("victim", company.company_code, "victim-pc", { secret });
    expect(again.status).toBe(200);
    const body = await json<ValidateResponse>(again);
    expect(body.installation.id).toBe(joined.installation.id);
    expect(body.installation.secret).toBeUndefined();
    expect(await installationRow(joined.installation.id)).toMatchObject({ app_version: "9.9.9" });
  });

  it("accepts a token of the installation as proof, even expired (within 30 days), and then issues a new secret", async () => {
    const { company, joined, secret } = await victim();
    const claims = { installationId: joined.installation.id, companyId: company.company_id };
    const now = Math.floor(Date.now() / 1000);
    const weekOld = await signInstallationToken({ ...claims, exp: now - 7 * DAY });
    const response = await validateFrom("victim", company.company_code, "victim-pc", { token: weekOld });
    expect(response.status).toBe(200);
    const body = await json<ValidateResponse>(response);
    expect(body.installation.id).toBe(joined.installation.id);
    const rotated = body.installation.secret ?? "";
    expect(rotated).toMatch(/^nxi_/);
    expect(rotated).not.toBe(secret);
    // The new secret works, the old one no longer does.
    expect(
      (await validateFrom("victim", company.company_code, "victim-pc", { secret: rotated })).status,
    ).toBe(200);
    await expectError(
      await validateFrom("victim", company.company_code, "victim-pc", { secret }),
      409,
      "INSTALLATION_BOUND",
    );
  });

  it("refuses as proof a token expired over 30 days ago, one from before the binding, one without exp, and another company's", async () => {
    const { company, joined } = await victim();
    const claims = { installationId: joined.installation.id, companyId: company.company_id };
    const now = Math.floor(Date.now() / 1000);
    const proofs = [
      await signInstallationToken({ ...claims, exp: now - 31 * DAY }),
      await signInstallationToken({ ...claims, iat: now - 3600 }),
      await signInstallationToken({ ...claims, exp: null }),
      await signInstallationToken({ ...claims, companyId: "another-company" }),
      "not-a-token",
    ];
    for (const token of proofs) {
      await expectError(
        await validateFrom("attacker", company.company_code, "victim-pc", { token }),
        409,
        "INSTALLATION_BOUND",
      );
    }
    expect(await installationRow(joined.installation.id)).toMatchObject({ hostname: "victim-host" });
  });

  it("binds installations from before bindings existed on their next validate (trust on first use)", async () => {
    const company = await registerCompany();
    const first = await json<ValidateResponse>(await validateFrom("old", company.company_code, "old-pc"));
    await env.CENTRAL_DB.prepare("UPDATE installations SET secret_hash = NULL, bound_at = NULL WHERE id = ?")
      .bind(first.installation.id)
      .run();
    const rejoined = await json<ValidateResponse>(await validateFrom("old", company.company_code, "old-pc"));
    expect(rejoined.installation.id).toBe(first.installation.id);
    expect(rejoined.installation.secret).toMatch(/^nxi_/);
    await expectError(await validateFrom("old", company.company_code, "old-pc"), 409, "INSTALLATION_BOUND");
  });

  it("binds to a secret the client proposes, so retrying a first validate whose answer was lost works", async () => {
    const company = await registerCompany();
    const proposed = `app-generated-${"k".repeat(40)}`;
    const first = await validateFrom("pc", company.company_code, "pc", { secret: proposed });
    expect(first.status).toBe(200);
    expect((await json<ValidateResponse>(first)).installation.secret).toBeUndefined();
    expect((await validateFrom("pc", company.company_code, "pc", { secret: proposed })).status).toBe(200);
    await expectError(await validateFrom("other", company.company_code, "pc"), 409, "INSTALLATION_BOUND");
    await expectError(
      await call("/api/company/validate", {
        body: {
          company_code: company.company_code,
          machine_id: "pc",
          hostname: "h",
          installation_secret: "short",
        },
      }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("lets exactly one of several devices racing for a new machine_id bind it", async () => {
    const company = await registerCompany();
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        validateFrom(`racer-${i}`, company.company_code, "contested", {
          secret: `secret-of-racer-${i}-${"r".repeat(32)}`,
        }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
    const winner = responses.findIndex((response) => response.status === 200);
    const row = await env.CENTRAL_DB.prepare(
      "SELECT hostname FROM installations WHERE machine_id = 'contested'",
    ).first();
    expect(row).toEqual({ hostname: `racer-${winner}-host` });
  });
});

describe("POST /api/company/validate: re-validate from the isolate's caches", () => {
  const sql = (query: string, ...values: unknown[]) =>
    env.CENTRAL_DB.prepare(query)
      .bind(...values)
      .run();

  const installationOf = (companyId: string, machineId: string) =>
    env.CENTRAL_DB.prepare("SELECT * FROM installations WHERE company_id = ? AND machine_id = ?")
      .bind(companyId, machineId)
      .first();

  const activations = async (companyId: string) =>
    (
      await env.CENTRAL_DB.prepare(
        "SELECT count(*) AS n FROM audit_logs WHERE company_id = ? AND action = 'installation.activated'",
      )
        .bind(companyId)
        .first<{ n: number }>()
    )?.n;

  /** A D1 binding that records each round trip (a statement run, or a batch) under `name`. */
  function recording(name: string, db: D1Database, trips: string[]): D1Database {
    const unwrapped = new WeakMap<object, D1PreparedStatement>();
    const statement = (inner: D1PreparedStatement, query: string): D1PreparedStatement => {
      const outer = new Proxy(inner, {
        get(target, prop) {
          if (prop === "bind") return (...values: unknown[]) => statement(target.bind(...values), query);
          const value = Reflect.get(target, prop);
          if (typeof value !== "function") return value;
          if (["all", "first", "run", "raw"].includes(String(prop))) trips.push(`${name}: ${query}`);
          return value.bind(target);
        },
      });
      unwrapped.set(outer, inner);
      return outer;
    };
    return new Proxy(db, {
      get(target, prop) {
        if (prop === "prepare") return (query: string) => statement(target.prepare(query), query);
        if (prop === "batch") {
          return (statements: D1PreparedStatement[]) => {
            trips.push(`${name}: batch of ${statements.length}`);
            return target.batch(statements.map((s) => unwrapped.get(s) ?? s));
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  }

  it("refreshes a bound machine in one central D1 statement and no tenant one once the isolate knows the company", async () => {
    const company = await registerCompany();
    const first = await validatedMachine(company.company_code, "rt-pc");
    const trips: string[] = [];
    const overrides: Record<string, D1Database> = {};
    for (const [name, binding] of Object.entries(env)) {
      if (binding && typeof binding === "object" && "prepare" in binding && "batch" in binding) {
        overrides[name] = recording(name, binding as D1Database, trips);
      }
    }
    const response = await callWithEnv(overrides as Partial<Env>, "/api/company/validate", {
      headers: { "cf-connecting-ip": ipFor("rt-pc") },
      body: {
        company_code: company.company_code,
        machine_id: "rt-pc",
        hostname: "renamed-host",
        app_version: "2.0.0",
        installation_secret: installationSecretOf(company.company_code, "rt-pc"),
      },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const body = await json<ValidateResponse>(response);
    expect(body.installation.id).toBe(first.installation.id);
    expect(body.installation.secret).toBeUndefined();
    expect(body.database_config).toMatchObject({ provider: "d1" });
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatch(/^CENTRAL_DB: update "installations"/);
    expect(await installationOf(company.company_id, "rt-pc")).toMatchObject({
      hostname: "renamed-host",
      app_version: "2.0.0",
      is_active: 1,
    });
    expect(await activations(company.company_id)).toBe(1);
  });

  it("refuses at once a company suspended or expired through another isolate, though this one has it cached", async () => {
    const company = await registerCompany();
    await validatedMachine(company.company_code, "bound-pc");
    const before = await installationOf(company.company_id, "bound-pc");
    // Written to D1 directly: this isolate's company cache is not told.
    await sql("UPDATE companies SET suspended_at = ? WHERE id = ?", Date.now(), company.company_id);
    await expectError(await validateMachine(company.company_code, "bound-pc"), 403, "COMPANY_SUSPENDED");
    await expectError(await validateMachine(company.company_code, "new-pc"), 403, "COMPANY_SUSPENDED");
    expect(await installationOf(company.company_id, "bound-pc")).toEqual(before);
    expect(await activeSeats(company.company_id)).toBe(1);

    await sql(
      "UPDATE companies SET suspended_at = NULL, expires_at = ? WHERE id = ?",
      Date.now() - 1000,
      company.company_id,
    );
    await expectError(await validateMachine(company.company_code, "bound-pc"), 403, "SUBSCRIPTION_EXPIRED");
    expect(await installationOf(company.company_id, "bound-pc")).toEqual(before);

    await sql("UPDATE companies SET expires_at = NULL WHERE id = ?", company.company_id);
    expect((await validateMachine(company.company_code, "bound-pc")).status).toBe(200);
  });

  it("lets a company resumed through another isolate in at once, though this one read it suspended", async () => {
    const company = await registerCompany();
    await validatedMachine(company.company_code, "pc");
    await call(`/api/admin/companies/${company.company_id}/suspend`, {
      token: adminToken(),
      body: { reason: "unpaid" },
    });
    await expectError(await validateMachine(company.company_code, "pc"), 403, "COMPANY_SUSPENDED");
    await sql("UPDATE companies SET suspended_at = NULL WHERE id = ?", company.company_id);
    expect((await validateMachine(company.company_code, "pc")).status).toBe(200);
  });

  it("answers the settings D1 has, not the cached ones, when they changed through another isolate", async () => {
    const company = await registerCompany();
    const first = await validatedMachine(company.company_code, "pc");
    await sql(
      "UPDATE companies SET settings = ?, settings_version = settings_version + 1 WHERE id = ?",
      JSON.stringify({ theme: "dark" }),
      company.company_id,
    );
    const again = await json<ValidateResponse>(await validateMachine(company.company_code, "pc"));
    expect(again.settings).toEqual({ theme: "dark" });
    expect(again.settings_version).toBe(first.settings_version + 1);
    expect(await installationOf(company.company_id, "pc")).toMatchObject({
      settings_version_seen: first.settings_version + 1,
    });
  });

  it("answers feature flags changed in this isolate at once", async () => {
    const company = await registerCompany();
    expect((await validatedMachine(company.company_code, "pc")).feature_flags).toEqual({});
    const put = await callAsOperator(`/api/admin/companies/${company.company_id}/feature-flags`, {
      method: "PUT",
      body: { flags: [{ key: "new_quote_editor", enabled: true, rules: [] }] },
    });
    expect(put.status, await put.clone().text()).toBe(200);
    expect((await validatedMachine(company.company_code, "pc")).feature_flags).toEqual({
      new_quote_editor: true,
    });
  });

  it("keeps one seat and one activation for many concurrent re-validates of a bound machine", async () => {
    const company = await registerCompany();
    const first = await validatedMachine(company.company_code, "busy-pc");
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => validateMachine(company.company_code, "busy-pc")),
    );
    const bodies = await Promise.all(responses.map((response) => json<ValidateResponse>(response)));
    expect(bodies.map((body) => body.installation.id)).toEqual(Array(8).fill(first.installation.id));
    expect(await activeSeats(company.company_id)).toBe(1);
    expect(await activations(company.company_id)).toBe(1);
  });

  it("takes the seat again, audited, when a deactivated machine re-validates with its secret", async () => {
    const company = await registerCompany();
    await setLimit(company.company_id, 1);
    const first = await validatedMachine(company.company_code, "pc");
    const deactivate = await callAsOperator(
      `/api/admin/companies/${company.company_id}/installations/${first.installation.id}/deactivate`,
      { method: "POST" },
    );
    expect(deactivate.status).toBe(200);
    expect(await activeSeats(company.company_id)).toBe(0);
    const again = await json<ValidateResponse>(await validateMachine(company.company_code, "pc"));
    expect(again.installation.id).toBe(first.installation.id);
    expect(await activeSeats(company.company_id)).toBe(1);
    expect(await activations(company.company_id)).toBe(2);
    await expectError(
      await validateMachine(company.company_code, "other-pc"),
      409,
      "INSTALLATION_LIMIT_REACHED",
    );
  });
});
