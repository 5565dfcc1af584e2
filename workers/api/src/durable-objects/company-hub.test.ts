import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { HeartbeatResponse, HubStats, ValidateResponse } from "@nexus/contracts";
import { beforeEach, describe, expect, it } from "vitest";
import {
  callAsOperator,
  callWithEnv,
  expectError,
  ipFor,
  json,
  registerCompany,
  validatedMachine,
  validateMachine,
} from "../../test/helpers.ts";
import { companyHub } from "../services/hub.ts";
import type { CompanyHub } from "./company-hub.ts";

let companyId: string;
let companyCode: string;
let joined: ValidateResponse;
let hub: DurableObjectStub<CompanyHub>;

const heartbeatBody = (overrides: Record<string, unknown> = {}) => ({
  company_code: companyCode,
  machine_id: "machine-1",
  app_version: "1.0.0",
  ...overrides,
});

/** A CENTRAL_DB that counts every query the route makes through it. */
function countingDb(counter: { queries: number }): D1Database {
  const db = env.CENTRAL_DB;
  return new Proxy(db, {
    get(target, property) {
      if (property === "prepare" || property === "batch" || property === "exec") counter.queries += 1;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

const stats = async () => json<HubStats>(await callAsOperator(`/api/admin/companies/${companyId}/hub`));
const activeSeats = async () =>
  (
    await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM installations WHERE company_id = ? AND is_active = 1",
    )
      .bind(companyId)
      .first<{ n: number }>()
  )?.n;

/** Moves an installation's last sign of life into the past, as if it had been silent. */
async function silence(installationId: string, forMs: number) {
  await runInDurableObject(hub, (_instance, state) => {
    state.storage.sql.exec(
      "UPDATE installations SET last_seen_at = ? WHERE id = ?",
      Date.now() - forMs,
      installationId,
    );
  });
}

/** Ends the hub's life as an eviction or a deploy would: its memory goes, its storage stays. */
async function restartHub() {
  const aborted = await runInDurableObject(hub, (_instance, state) =>
    state.abort("restarted by the test"),
  ).then(
    () => false,
    () => true,
  );
  expect(aborted).toBe(true);
}

beforeEach(async () => {
  const company = await registerCompany();
  companyId = company.company_id;
  companyCode = company.company_code;
  hub = companyHub(env, companyId);
  joined = await validatedMachine(companyCode, "machine-1");
});

describe("CompanyHub heartbeats", () => {
  it("answer without a D1 query, and reach D1 in one write when the alarm runs", async () => {
    const heartbeat = (counter: { queries: number }) =>
      callWithEnv({ CENTRAL_DB: countingDb(counter) }, "/api/company/heartbeat", {
        token: joined.installation.token,
        body: heartbeatBody({ app_version: "1.1.0" }),
      });
    const warmup = { queries: 0 };
    expect((await heartbeat(warmup)).status).toBe(200);
    const before = await stats();

    const counter = { queries: 0 };
    for (let i = 0; i < 50; i++) expect((await heartbeat(counter)).status).toBe(200);
    expect(counter.queries).toBe(0);
    const after = await stats();
    expect(after.heartbeats - before.heartbeats).toBe(50);
    expect(after.d1_reads).toBe(before.d1_reads);
    expect(after.d1_writes).toBe(before.d1_writes);
    expect(after.pending_flush).toBe(1);

    expect(await runDurableObjectAlarm(hub)).toBe(true);
    const flushed = await stats();
    expect(flushed.d1_writes - after.d1_writes).toBe(1);
    expect(flushed.pending_flush).toBe(0);
    const row = await env.CENTRAL_DB.prepare(
      "SELECT app_version, last_heartbeat_at FROM installations WHERE id = ?",
    )
      .bind(joined.installation.id)
      .first<{ app_version: string; last_heartbeat_at: number }>();
    expect(row?.app_version).toBe("1.1.0");
    expect(row?.last_heartbeat_at).toBeGreaterThan(Date.now() - 60_000);
  });

  it("flush every dirty installation of the company in one statement", async () => {
    const others = await Promise.all(
      ["m-2", "m-3", "m-4"].map((machine) => validatedMachine(companyCode, machine)),
    );
    for (const [i, other] of others.entries()) {
      await callWithEnv({}, "/api/company/heartbeat", {
        token: other.installation.token,
        body: heartbeatBody({ machine_id: `m-${i + 2}`, app_version: "2.0.0" }),
      });
    }
    const before = await stats();
    await runDurableObjectAlarm(hub);
    expect((await stats()).d1_writes - before.d1_writes).toBe(1);
    const { results } = await env.CENTRAL_DB.prepare(
      "SELECT count(*) AS n FROM installations WHERE company_id = ? AND app_version = '2.0.0' AND last_heartbeat_at IS NOT NULL",
    )
      .bind(companyId)
      .all<{ n: number }>();
    expect(results[0]?.n).toBe(3);
  });

  it("pick up an admin settings change at once (the change invalidates the hub's cache)", async () => {
    await callAsOperator(`/api/admin/companies/${companyId}/settings`, {
      method: "PUT",
      body: { settings: { shift: "night" } },
    });
    const beat = await json<HeartbeatResponse>(
      await callWithEnv({}, "/api/company/heartbeat", {
        token: joined.installation.token,
        body: heartbeatBody(),
      }),
    );
    expect(beat).toMatchObject({ settings_changed: true, settings: { shift: "night" }, settings_version: 2 });
  });
});

describe("CompanyHub registry in memory", () => {
  it("answers from storage after a restart: a deactivated installation stays refused, an active one answered", async () => {
    const other = await validatedMachine(companyCode, "machine-2");
    const beat = (token: string, machine: string) =>
      callWithEnv({}, "/api/company/heartbeat", { token, body: heartbeatBody({ machine_id: machine }) });
    expect((await beat(joined.installation.token, "machine-1")).status).toBe(200);
    expect((await beat(other.installation.token, "machine-2")).status).toBe(200);
    const deactivated = await callAsOperator(
      `/api/admin/companies/${companyId}/installations/${other.installation.id}/deactivate`,
      { method: "POST" },
    );
    expect(deactivated.status).toBe(200);
    // Refused on the very next request, from the hub's memory.
    await expectError(await beat(other.installation.token, "machine-2"), 403, "INSTALLATION_DEACTIVATED");
    await restartHub();
    await expectError(await beat(other.installation.token, "machine-2"), 403, "INSTALLATION_DEACTIVATED");
    expect((await beat(joined.installation.token, "machine-1")).status).toBe(200);
    expect((await stats()).installations).toMatchObject({ active: 1, deactivated: 1 });
  });
});

describe("CompanyHub dead installations", () => {
  it("marks a silent installation dead, frees its seat, and revives it within the window", async () => {
    await silence(joined.installation.id, 31 * 60_000);
    await runDurableObjectAlarm(hub);
    expect(await activeSeats()).toBe(0);
    const dead = await env.CENTRAL_DB.prepare(
      "SELECT is_active, deactivation_reason FROM installations WHERE id = ?",
    )
      .bind(joined.installation.id)
      .first();
    expect(dead).toEqual({ is_active: 0, deactivation_reason: "silent" });
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT action FROM audit_logs WHERE target_id = ? ORDER BY id",
    )
      .bind(joined.installation.id)
      .all<{ action: string }>();
    expect(audit.results.map((row) => row.action)).toEqual(["installation.activated", "installation.dead"]);

    const late = await callWithEnv({}, "/api/company/heartbeat", {
      token: joined.installation.token,
      body: heartbeatBody(),
    });
    expect(late.status).toBe(200);
    expect(await activeSeats()).toBe(1);
    expect((await stats()).installations).toMatchObject({ active: 1, dead: 0 });
  });

  it("does not revive into a seat someone else took meanwhile", async () => {
    await callAsOperator(`/api/admin/companies/${companyId}`, {
      method: "PATCH",
      body: { max_installations: 1 },
    });
    await silence(joined.installation.id, 31 * 60_000);
    await runDurableObjectAlarm(hub);
    expect((await validateMachine(companyCode, "newcomer")).status).toBe(200);
    await expectError(
      await callWithEnv({}, "/api/company/heartbeat", {
        token: joined.installation.token,
        body: heartbeatBody(),
      }),
      409,
      "INSTALLATION_LIMIT_REACHED",
    );
    expect(await activeSeats()).toBe(1);
  });

  it("after the revive window, tells the app to validate again", async () => {
    await silence(joined.installation.id, 31 * 60_000);
    await runDurableObjectAlarm(hub);
    await runInDurableObject(hub, (_instance, state) => {
      state.storage.sql.exec("UPDATE installations SET dead_at = ?", Date.now() - 25 * 3_600_000);
    });
    // The hub keeps its registry in memory; a restart makes it read the edited storage.
    await restartHub();
    const error = await expectError(
      await callWithEnv({}, "/api/company/heartbeat", {
        token: joined.installation.token,
        body: heartbeatBody(),
      }),
      403,
      "INSTALLATION_DEACTIVATED",
    );
    expect(error.details).toEqual({ action: "revalidate" });
    expect((await validateMachine(companyCode, "machine-1")).status).toBe(200);
    expect(await activeSeats()).toBe(1);
  });

  it("keeps an installation that heartbeats regularly", async () => {
    await silence(joined.installation.id, 29 * 60_000);
    await runDurableObjectAlarm(hub);
    expect(await activeSeats()).toBe(1);
  });
});

describe("rate limits", () => {
  it("answers the 11th validate from one IP within a minute with 429 and the headers, then refills", async () => {
    const ip = ipFor("machine-1");
    for (let i = 0; i < 9; i++) {
      const ok = await validateMachine(companyCode, "machine-1");
      expect(ok.status).toBe(200);
    }
    const tenth = await validateMachine(companyCode, "machine-1");
    expect(tenth.headers.get("ratelimit")).toBe('"validate";r=0;t=60');
    const limited = await validateMachine(companyCode, "machine-1");
    const error = await expectError(limited, 429, "RATE_LIMITED");
    expect(limited.headers.get("retry-after")).toBe("6");
    expect(limited.headers.get("ratelimit-policy")).toBe('"validate";q=10;w=60');
    expect(limited.headers.get("ratelimit")).toMatch(/^"validate";r=0;t=\d+$/);
    expect(error.details).toMatchObject({ action: "retry", retry_after_seconds: 6, limit: 10 });

    // Another IP has its own bucket.
    expect((await validateMachine(companyCode, "machine-2")).status).toBe(200);

    // Twelve seconds later two tokens are back. The hub keeps its buckets in memory and writes them
    // at its alarm, so the clock is moved in storage after an alarm, and read back after a restart.
    await runDurableObjectAlarm(hub);
    await runInDurableObject(hub, (_instance, state) => {
      state.storage.sql.exec(
        "UPDATE rate_buckets SET updated_at = updated_at - 12000 WHERE key = ?",
        `validate:ip:${ip}`,
      );
    });
    await restartHub();
    expect((await validateMachine(companyCode, "machine-1")).status).toBe(200);
    expect((await validateMachine(companyCode, "machine-1")).status).toBe(200);
    expect((await validateMachine(companyCode, "machine-1")).status).toBe(429);
  });

  it("limits validates with unknown codes per IP, through the IP's own object", async () => {
    for (let i = 0; i < 10; i++)
      await expectError(await validateMachine("NOP-999999", "prober"), 404, "COMPANY_NOT_FOUND");
    await expectError(await validateMachine("NOP-999999", "prober"), 429, "RATE_LIMITED");
  });

  it("uses the tier's limits, which operators can change", async () => {
    const put = await callAsOperator("/api/admin/rate-limits/standard/validate", {
      method: "PUT",
      body: { limit: 2, window_seconds: 60 },
    });
    expect(put.status).toBe(200);
    const table = await json<{ tiers: Record<string, Record<string, unknown>> }>(put);
    expect(table.tiers.standard?.validate).toEqual({ limit: 2, window_seconds: 60 });
    expect(table.tiers.professional?.validate).toEqual({ limit: 10, window_seconds: 60 });
    // The company's hub reloads company state when an operator changes the company.
    await callAsOperator(`/api/admin/companies/${companyId}`, {
      method: "PATCH",
      body: { update_channel: "stable" },
    });
    expect((await validateMachine(companyCode, "tiny-1")).status).toBe(200);
    expect((await validateMachine(companyCode, "tiny-1")).status).toBe(200);
    const limited = await validateMachine(companyCode, "tiny-1");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("ratelimit-policy")).toBe('"validate";q=2;w=60');
    await expectError(
      await callAsOperator("/api/admin/rate-limits/standard/validate", {
        method: "PUT",
        body: { limit: 0, window_seconds: 60 },
      }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await callAsOperator("/api/admin/rate-limits/platinum/validate", {
        method: "PUT",
        body: { limit: 5, window_seconds: 60 },
      }),
      400,
      "VALIDATION_FAILED",
    );
  });

  it("limits anonymous registrations per IP but not operators", async () => {
    const register = (ip: string) =>
      callWithEnv({ REGISTRATION_MODE: "open" }, "/api/company/register", {
        headers: { "cf-connecting-ip": ip },
        body: { company_name: "Spam Co", admin_email: "spam@example.com", database_config: customDb },
      });
    for (let i = 0; i < 5; i++) expect((await register("203.0.113.50")).status).toBe(201);
    await expectError(await register("203.0.113.50"), 429, "RATE_LIMITED");
    const operator = await callAsOperator("/api/company/register", {
      headers: { "cf-connecting-ip": "203.0.113.50" },
      body: { company_name: "Ops Co", admin_email: "ops@example.com", database_config: customDb },
    });
    expect(operator.status).toBe(201);
  });
});

const customDb = {
  provider: "custom",
  host: "db.example.com",
  port: 5432,
  database: "d",
  username: "u",
  password: "p",
};

describe("CompanyHub alarm failures", () => {
  const failures = () =>
    runInDurableObject(hub, (_instance, state) => {
      const row = state.storage.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'alarm_failures'")
        .toArray()[0];
      return row ? Number(row.value) : 0;
    });
  const nextAlarm = () => runInDurableObject(hub, (_instance, state) => state.storage.getAlarm());

  it("reschedules a failed flush with backoff, and resets the count once a flush succeeds", async () => {
    const beat = await callWithEnv({}, "/api/company/heartbeat", {
      token: joined.installation.token,
      body: heartbeatBody({ app_version: "3.0.0" }),
    });
    expect(beat.status).toBe(200);
    // A real fault: D1 refuses the flush's UPDATE of installations.
    await env.CENTRAL_DB.prepare(
      "CREATE TRIGGER refuse_flush BEFORE UPDATE ON installations BEGIN SELECT RAISE(ABORT, 'injected: D1 unavailable'); END",
    ).run();
    try {
      for (const [attempt, delay] of [
        [1, 5_000],
        [2, 10_000],
        [3, 20_000],
      ] as const) {
        const before = Date.now();
        expect(await runDurableObjectAlarm(hub)).toBe(true);
        const after = Date.now();
        expect(await failures()).toBe(attempt);
        const at = await nextAlarm();
        expect(at).not.toBeNull();
        expect(at ?? 0).toBeGreaterThanOrEqual(before + delay);
        expect(at ?? 0).toBeLessThanOrEqual(after + delay);
      }
      expect((await stats()).pending_flush).toBe(1);
    } finally {
      await env.CENTRAL_DB.prepare("DROP TRIGGER refuse_flush").run();
    }
    const before = Date.now();
    expect(await runDurableObjectAlarm(hub)).toBe(true);
    expect(await failures()).toBe(0);
    const row = await env.CENTRAL_DB.prepare("SELECT app_version FROM installations WHERE id = ?")
      .bind(joined.installation.id)
      .first<{ app_version: string }>();
    expect(row?.app_version).toBe("3.0.0");
    expect((await stats()).pending_flush).toBe(0);
    // Back to the ordinary interval while an installation is active.
    const flushInterval = Number(env.HEARTBEAT_FLUSH_SECONDS) * 1000;
    expect((await nextAlarm()) ?? 0).toBeGreaterThanOrEqual(before + flushInterval);
  });

  it("caps the retry delay", async () => {
    const { alarmRetryDelay, ALARM_RETRY_MAX_MS } = await import("./hub-alarm.ts");
    expect(alarmRetryDelay(1)).toBe(5_000);
    expect(alarmRetryDelay(8)).toBe(ALARM_RETRY_MAX_MS);
    expect(alarmRetryDelay(40)).toBe(ALARM_RETRY_MAX_MS);
  });
});
