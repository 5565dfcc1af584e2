import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import { companyOwner } from "../../../test/users.ts";

interface Listed {
  tokens: { id: string; label: string | null; state: string }[];
  next_cursor: string | null;
}

const list = async (query = "") =>
  json<Listed>(await callAsOperator(`/api/admin/registration-tokens${query}`));

describe("operator: listing registration tokens", () => {
  it("pages newest first, and tells expired tokens from active ones", async () => {
    const ids: string[] = [];
    for (const label of ["first", "second", "third"]) {
      const created = await callAsOperator("/api/admin/registration-tokens", { body: { label } });
      ids.push((await json<{ id: string }>(created)).id);
    }
    await env.CENTRAL_DB.prepare("UPDATE registration_tokens SET expires_at = ? WHERE id = ?")
      .bind(Date.now() - 1000, ids[0])
      .run();

    const first = await list("?limit=2");
    expect(first.tokens.map((token) => token.label)).toEqual(["third", "second"]);
    const rest = await list(`?limit=2&cursor=${first.next_cursor}`);
    expect(rest.tokens.map((token) => token.label)).toEqual(["first"]);
    expect(rest.next_cursor).toBeNull();

    expect((await list("?state=expired")).tokens.map((token) => token.id)).toEqual([ids[0]]);
    expect((await list("?state=active")).tokens.map((token) => token.label)).toEqual(["third", "second"]);
  });

  it("is for operators only", async () => {
    const company = await registerCompany({ admin_email: "owner@tokens-list.example" });
    const owner = await companyOwner(company.company_id, "owner@tokens-list.example");
    await expectError(
      await call("/api/admin/registration-tokens", { headers: { cookie: owner } }),
      403,
      "FORBIDDEN",
    );
    await expectError(await call("/api/admin/registration-tokens"), 401, "UNAUTHORIZED");
  });
});
