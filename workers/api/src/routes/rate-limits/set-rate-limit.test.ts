import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";

type Limits = Record<string, { limit: number; window_seconds: number }>;

const put = (tier: string, name: string, body: unknown, options: { cookie?: string } = {}) =>
  options.cookie
    ? call(`/api/admin/rate-limits/${tier}/${name}`, {
        method: "PUT",
        body,
        headers: { cookie: options.cookie },
      })
    : callAsOperator(`/api/admin/rate-limits/${tier}/${name}`, { method: "PUT", body });

describe("setting a rate limit", () => {
  it("overrides one limit of one tier, audited, and changing it again replaces the override", async () => {
    const before = await json<{ tiers: Record<string, Limits> }>(
      await callAsOperator("/api/admin/rate-limits"),
    );
    await json(await put("enterprise", "telemetry", { limit: 7, window_seconds: 30 }));
    const table = await json<{ tiers: Record<string, Limits> }>(
      await put("enterprise", "telemetry", { limit: 9, window_seconds: 30 }),
    );
    expect(table.tiers.enterprise?.telemetry).toEqual({ limit: 9, window_seconds: 30 });
    expect(table.tiers.standard?.telemetry).toEqual(before.tiers.standard?.telemetry);
    const audit = await env.CENTRAL_DB.prepare(
      "SELECT target_id, details FROM audit_logs WHERE action = 'rate_limit.changed' ORDER BY id",
    ).all<{ target_id: string; details: string }>();
    expect(audit.results.map((row) => [row.target_id, JSON.parse(row.details)])).toEqual([
      ["enterprise/telemetry", { limit: 7, window_seconds: 30 }],
      ["enterprise/telemetry", { limit: 9, window_seconds: 30 }],
    ]);
  });

  it("is refused to a company's owner, and to unknown limit names", async () => {
    const company = await registerCompany({ admin_email: "owner@limits-set.example" });
    const owner = await companyOwner(company.company_id, "owner@limits-set.example");
    await expectError(
      await put("standard", "validate", { limit: 1_000_000, window_seconds: 1 }, { cookie: owner }),
      403,
      "FORBIDDEN",
    );
    await expectError(
      await put("standard", "everything", { limit: 5, window_seconds: 60 }),
      400,
      "VALIDATION_FAILED",
    );
    const rows = await env.CENTRAL_DB.prepare("SELECT count(*) AS n FROM rate_limit_overrides").first<{
      n: number;
    }>();
    expect(rows?.n).toBe(0);
  });
});
