// The hand checks of wire.ts against the contract they stand in for: same method and path as the
// contract's route, and every answer the contract's schema accepts is accepted (the client must
// never refuse what the API may send); the answers the client could not use are refused.
import { ErrorActionSchema, ErrorEnvelopeSchema, routes } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { ERROR_ACTIONS, NexusApiError } from "./errors.ts";
import { coreRoutes, ErrorEnvelopeCheck } from "./wire.ts";

const credential = { id: "inst_1", token: "jwt", token_expires_at: "2026-12-06T00:00:00.000Z" };
const settings = { update_check_interval_hours: 6 };
const databaseConfig = { provider: "d1", api_base_url: "https://central.example/api", schema_version: "1" };

const answers: Record<keyof typeof coreRoutes, { valid: unknown[]; invalid: unknown[] }> = {
  register: {
    valid: [
      {
        success: true,
        company_id: "c1",
        company_code: "ABC",
        company_name: "Acme",
        subscription_status: "active",
        subscription_tier: "standard",
        expires_at: null,
        database_config: databaseConfig,
      },
    ],
    invalid: [{ success: true }, { success: true, company_id: "c1", company_code: "ABC" }],
  },
  validate: {
    valid: [
      {
        success: true,
        company_id: "c1",
        company_name: "Acme",
        database_config: databaseConfig,
        settings,
        settings_version: 3,
        update_channel: "stable",
        installation: { ...credential, secret: `nxi_${"a".repeat(64)}` },
        feature_flags: { beta: true },
      },
    ],
    invalid: [
      { success: true },
      {
        success: true,
        company_id: "c1",
        company_name: "Acme",
        database_config: databaseConfig,
        settings,
        settings_version: 3,
        update_channel: "stable",
        installation: { id: "inst_1" },
        feature_flags: {},
      },
    ],
  },
  heartbeat: {
    valid: [
      { success: true, force_update: false, settings_changed: false, settings_version: 1 },
      {
        success: true,
        force_update: true,
        settings_changed: true,
        latest_version: "2.0.0",
        settings,
        settings_version: 2,
        installation: credential,
      },
    ],
    invalid: [
      { success: true, force_update: "no", settings_changed: false, settings_version: 1 },
      { success: true, force_update: false, settings_changed: false, settings_version: 1.5 },
      { success: false, error: { code: "INVALID_TOKEN" } },
    ],
  },
  ingestTelemetry: {
    valid: [
      {
        success: true,
        batch_id: "b1",
        accepted: { samples: 1, usage: 0 },
        rejected_count: 0,
        rejected: [],
      },
    ],
    invalid: [{ success: true, batch_id: "b1" }],
  },
};

describe("the client's hand-checked routes", () => {
  for (const [name, route] of Object.entries(coreRoutes)) {
    const key = name as keyof typeof coreRoutes;
    const contract = routes[key];

    it(`${name} has the contract's method and path`, () => {
      expect({ method: route.method, path: route.path }).toEqual({
        method: contract.method,
        path: contract.path,
      });
    });

    it(`${name} accepts what the contract's schema accepts and refuses what the client cannot read`, () => {
      for (const body of answers[key].valid) {
        expect(contract.response.safeParse(body).success, JSON.stringify(body)).toBe(true);
        expect(route.response.safeParse(body).success, JSON.stringify(body)).toBe(true);
      }
      for (const body of answers[key].invalid) {
        expect(contract.response.safeParse(body).success, JSON.stringify(body)).toBe(false);
        expect(route.response.safeParse(body).success, JSON.stringify(body)).toBe(false);
      }
    });
  }

  it("reads the error envelope as the contract's schema does", () => {
    const envelopes = [
      { success: false, error: { code: "INVALID_TOKEN", message: "m", request_id: "r" } },
      { success: false, error: { code: "RATE_LIMITED", message: "m", request_id: "r", details: { a: 1 } } },
    ];
    for (const body of envelopes) {
      expect(ErrorEnvelopeSchema.safeParse(body).success).toBe(true);
      expect(ErrorEnvelopeCheck.safeParse(body).success).toBe(true);
    }
    for (const body of [{ success: false }, { success: false, error: { code: "X" } }, "<html>"]) {
      expect(ErrorEnvelopeSchema.safeParse(body).success).toBe(false);
      expect(ErrorEnvelopeCheck.safeParse(body).success).toBe(false);
    }
  });

  it("knows every error action of the contract", () => {
    expect([...ERROR_ACTIONS].sort()).toEqual([...ErrorActionSchema.options].sort());
    const error = new NexusApiError({
      status: 401,
      code: "INVALID_TOKEN",
      message: "m",
      details: { action: "contact_admin" },
      requestId: "r",
      retryAfterMs: undefined,
    });
    expect(error.action).toBe("contact_admin");
    expect(
      new NexusApiError({ ...error, details: { action: "dance" }, retryAfterMs: undefined }).action,
    ).toBe(undefined);
  });
});
