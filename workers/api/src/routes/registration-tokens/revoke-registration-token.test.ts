import { describe, expect, it } from "vitest";
import { adminToken, call, expectError, json } from "../../../test/helpers.ts";

describe("operator: revoking registration tokens", () => {
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
});
