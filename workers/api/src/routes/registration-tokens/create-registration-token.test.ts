import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminToken, call, expectError, json } from "../../../test/helpers.ts";

describe("operator: creating registration tokens", () => {
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
