import { describe, expect, it } from "vitest";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";

interface Listed {
  api_keys: { id: string; name: string; revoked_at: string | null }[];
}

const create = (companyId: string, name: string) =>
  callAsOperator(`/api/admin/companies/${companyId}/api-keys`, {
    body: { name, permissions: { installations: ["read"] } },
  });

describe("listing a company's API keys", () => {
  it("shows the company's own keys, newest first, revoked ones marked, and no other company's", async () => {
    const mine = await registerCompany({ admin_email: "owner@list-keys.example" });
    const theirs = await registerCompany({ admin_email: "owner@list-keys-other.example" });
    const first = await json<{ api_key: { id: string } }>(await create(mine.company_id, "First"));
    await json(await create(mine.company_id, "Second"));
    await json(await create(theirs.company_id, "Not mine"));
    await callAsOperator(`/api/admin/companies/${mine.company_id}/api-keys/${first.api_key.id}/revoke`, {
      method: "POST",
    });

    const listed = await json<Listed>(
      await callAsOperator(`/api/admin/companies/${mine.company_id}/api-keys`),
    );
    expect(listed.api_keys.map((key) => key.name)).toEqual(["Second", "First"]);
    expect(listed.api_keys[1]?.revoked_at).not.toBeNull();
    expect(listed.api_keys[0]?.revoked_at).toBeNull();
    expect(JSON.stringify(listed)).not.toContain("key_hash");
  });
});
