// Members' entries: written by code (members live in the central database), following invitations,
// role changes, renames and removals in the same request.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";
import { entry, indexCommand, matches, tenantOf } from "../../../test/search-index.ts";
import { authCall, companyMember, companyOwner } from "../../../test/users.ts";
import { memberEntry } from "./member-index.ts";

const membersPath = (companyId: string) => `/api/admin/companies/${companyId}/members`;

async function memberId(companyId: string, email: string): Promise<string> {
  const { members } = await json<{ members: { id: string; email: string }[] }>(
    await callAsOperator(membersPath(companyId)),
  );
  const found = members.find((m) => m.email === email);
  if (!found) throw new Error(`no member ${email}`);
  return found.id;
}

describe("member entries", () => {
  it("follow invitations, role changes, renames and removals", async () => {
    const acme = await registerCompany({ admin_email: "owner@member-index.example" });
    const companyId = acme.company_id;
    const db = await tenantOf(companyId);
    const owner = await companyOwner(companyId, "owner@member-index.example");
    const ownerId = await memberId(companyId, "owner@member-index.example");
    expect(await entry(db, "member", ownerId)).toMatchObject({
      project_id: null,
      title: "owner",
      body: "owner@member-index.example",
      tags: "owner",
      facets: '{"role":"owner"}',
    });

    const ada = await companyMember(owner, companyId, "lovelace@member-index.example", "installer");
    const adaId = await memberId(companyId, "lovelace@member-index.example");
    expect(await matches(db, '"lovelace"')).toEqual([`member:${adaId}`]);
    expect(await matches(db, '"installer"')).toEqual([`member:${adaId}`]);

    const changed = await callAsOperator(`${membersPath(companyId)}/${adaId}`, {
      method: "PATCH",
      body: { role: "admin" },
    });
    expect(changed.status, await changed.clone().text()).toBe(200);
    expect(await entry(db, "member", adaId)).toMatchObject({ tags: "admin", facets: '{"role":"admin"}' });
    expect(await matches(db, '"installer"')).toEqual([]);

    const renamed = await authCall("/update-user", { body: { name: "Augusta King" }, cookie: ada });
    expect(renamed.status, await renamed.clone().text()).toBe(200);
    expect(await matches(db, '"augusta"')).toEqual([`member:${adaId}`]);

    const removed = await callAsOperator(`${membersPath(companyId)}/${adaId}/remove`, { method: "POST" });
    expect(removed.status, await removed.clone().text()).toBe(200);
    expect(await entry(db, "member", adaId)).toBeNull();
    expect(await matches(db, '"augusta"')).toEqual([]);
    expect(await indexCommand(companyId, "status")).toMatchObject({
      integrity: "ok",
      entries: { member: 1 },
    });
  });

  it("are rewritten from the central database by a rebuild", async () => {
    const acme = await registerCompany();
    const db = await tenantOf(acme.company_id);
    // A member added behind the API's back (a restore of the central database, say).
    await env.CENTRAL_DB.batch([
      env.CENTRAL_DB.prepare(
        "INSERT INTO user (id, name, email) VALUES ('u-hopper', 'Grace Hopper', 'grace@cobol.example')",
      ),
      env.CENTRAL_DB.prepare(
        "INSERT INTO member (id, organization_id, user_id, role, created_at) VALUES ('m-hopper', ?, 'u-hopper', 'member,installer', ?)",
      ).bind(acme.company_id, Date.now()),
    ]);
    expect(await matches(db, '"hopper"')).toEqual([]);
    await indexCommand(acme.company_id, "rebuild");
    expect(await entry(db, "member", "m-hopper")).toMatchObject({
      title: "Grace Hopper",
      body: "grace@cobol.example",
      tags: "member installer",
      facets: '{"role":"member"}',
    });
    expect(await matches(db, '"cobol"')).toEqual(["member:m-hopper"]);
  });

  it("take the first of several roles as the facet", () => {
    expect(memberEntry({ id: "m", role: " admin , installer", name: "N", email: "e@x" })).toMatchObject({
      tags: "admin installer",
      facets: { role: "admin" },
    });
  });
});
