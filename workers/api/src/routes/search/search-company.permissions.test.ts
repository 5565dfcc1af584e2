// Who finds what: each result needs its own resource's read permission. Installers find their
// assigned projects and those projects' documents only; without documents:read no document shows;
// installations find the company library; operators find everything; another company never shows.
import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { authCall, companyMember, companyOwner } from "../../../test/users.ts";
import { activity, company, project, showroom, userId } from "../projects/fixtures.ts";
import { hitKeys, machine, memberEntry, search, searchCall, searchPath, textDocument } from "./fixtures.ts";

async function seed() {
  const acme = await registerCompany({ admin_email: "own@quartz.example" });
  const companyId = acme.company_id;
  const owner = await companyOwner(companyId, "own@quartz.example");
  const installer = await companyMember(owner, companyId, "fitter@quartz.example", "installer");
  const fitter = await userId("fitter@quartz.example");
  const room = await showroom(companyId, { name: "Leeds", member_ids: [fitter] });
  const mine = (
    await project(companyId, room, { title: "Quartz kitchen A", assignments: { installer: fitter } })
  ).id;
  const other = (await project(companyId, room, { title: "Quartz kitchen B" })).id;
  await activity(companyId, other, { type: "note", body: "quartz slab delivered" });
  await activity(companyId, mine, { type: "note", body: "quartz slab measured" });
  const mineDoc = await textDocument(companyId, "quartz-a.txt", "quartz spec", { project_id: mine });
  const otherDoc = await textDocument(companyId, "quartz-b.txt", "quartz spec", { project_id: other });
  const libraryDoc = await textDocument(companyId, "quartz-catalogue.txt", "quartz range");
  const saw = await machine(companyId, { name: "Quartz saw" });
  await memberEntry(companyId, {
    id: "user-q",
    name: "Quartz Quinn",
    email: "quinn@quartz.example",
    role: "member",
  });
  return { acme, companyId, owner, installer, mine, other, mineDoc, otherDoc, libraryDoc, saw };
}

const projectBound = new Set(["project", "client", "activity", "document"]);

describe("what each caller finds", () => {
  it("gives the operator and the owner everything, an installer only their projects and those projects' documents", async () => {
    const s = await seed();
    const everything = await search(s.companyId, { q: "quartz", limit: 50 });
    expect(new Set(everything.hits.map((hit) => hit.type))).toEqual(
      new Set(["project", "activity", "document", "machine", "member"]),
    );
    // Members: the entry written above, and the company's real members once member indexing has them.
    expect(everything.facets.type).toMatchObject({ project: 2, activity: 2, document: 3, machine: 1 });
    expect(everything.facets.type?.member).toBeGreaterThanOrEqual(1);
    const owner = await search(s.companyId, { q: "quartz", limit: 50 }, { cookie: s.owner });
    expect(owner.total).toBe(everything.total);

    const installer = await search(
      s.companyId,
      { q: "quartz", limit: 50, facets: ["document_type"] },
      { cookie: s.installer },
    );
    expect(installer.hits.length).toBeGreaterThan(0);
    for (const hit of installer.hits) {
      expect(projectBound.has(hit.type), hit.type).toBe(true);
      expect(hit.project_id).toBe(s.mine);
    }
    expect(hitKeys(installer)).toEqual(
      expect.arrayContaining([`project:${s.mine}`, `document:${s.mineDoc}`]),
    );
    expect(hitKeys(installer)).not.toContain(`document:${s.otherDoc}`);
    expect(hitKeys(installer)).not.toContain(`document:${s.libraryDoc}`);
    // The counts cover only what they see, so nothing leaks through facets either.
    expect(installer.facets.type).toEqual({ project: 1, activity: 1, document: 1 });
    expect(installer.total).toBe(3);
    // Asking for a type they cannot read is not an error: there is simply nothing.
    expect(
      (await search(s.companyId, { q: "quartz", types: ["machine", "member"] }, { cookie: s.installer }))
        .total,
    ).toBe(0);
  });

  it("shows no documents to a role without documents:read, nor to an API key without it", async () => {
    const s = await seed();
    const created = await authCall("/organization/create-role", {
      body: {
        organizationId: s.companyId,
        role: "viewer",
        permission: { projects: ["read"], search: ["read"] },
      },
      cookie: s.owner,
    });
    expect(created.status, await created.clone().text()).toBe(200);
    const viewer = await companyMember(s.owner, s.companyId, "viewer@quartz.example", "viewer");
    const asViewer = await search(
      s.companyId,
      { q: "quartz", limit: 50, types: ["document", "project"] },
      { cookie: viewer },
    );
    expect(asViewer.hits.map((hit) => hit.type)).toEqual(["project", "project"]);
    expect(asViewer.facets.type).toEqual({ project: 2 });

    const keyResponse = await callAsOperator(`${company(s.companyId)}/api-keys`, {
      body: { name: "Projects only", permissions: { projects: ["read"], search: ["read"] } },
    });
    const { key } = await json<{ key: string }>(keyResponse);
    const asKey = await search(s.companyId, { q: "quartz", limit: 50 }, { token: key });
    expect(new Set(asKey.hits.map((hit) => hit.type))).toEqual(new Set(["project", "activity"]));
    expect(asKey.total).toBe(4);
    // A key without search:read is refused by the route itself.
    const blind = await json<{ key: string }>(
      await callAsOperator(`${company(s.companyId)}/api-keys`, {
        body: { name: "No search", permissions: { documents: ["read"] } },
      }),
    );
    await expectError(await searchCall(s.companyId, { q: "quartz" }, { token: blind.key }), 403, "FORBIDDEN");
  });

  it("gives an installation the company library only", async () => {
    const s = await seed();
    const { installation } = await validatedMachine(s.acme.company_code, "office-pc");
    const answer = await search(s.companyId, { q: "quartz", limit: 50 }, { token: installation.token });
    expect(hitKeys(answer)).toEqual([`document:${s.libraryDoc}`]);
    expect(answer.facets.type).toEqual({ document: 1 });
  });

  it("never shows another company's records, and keeps other companies' callers out", async () => {
    const s = await seed();
    const rival = await registerCompany();
    const rivalProject = (
      await project(rival.company_id, await showroom(rival.company_id), { title: "Quartz rival" })
    ).id;
    const answer = await search(s.companyId, { q: "quartz rival", limit: 50 });
    expect(answer.total).toBe(0);
    expect(hitKeys(await search(s.companyId, { q: "quartz", limit: 50 }))).not.toContain(
      `project:${rivalProject}`,
    );
    expect(hitKeys(await search(rival.company_id, { q: "quartz" }))).toEqual([`project:${rivalProject}`]);
    // Acme's owner, installer and installation cannot search the rival.
    for (const cookie of [s.owner, s.installer]) {
      await expectError(
        await searchCall(rival.company_id, { q: "quartz" }, { cookie }),
        404,
        "COMPANY_NOT_FOUND",
      );
    }
    const { installation } = await validatedMachine(s.acme.company_code, "office-pc");
    await expectError(
      await searchCall(rival.company_id, { q: "quartz" }, { token: installation.token }),
      404,
      "COMPANY_NOT_FOUND",
    );
    await expectError(await call(searchPath(s.companyId), { body: { q: "quartz" } }), 401, "UNAUTHORIZED");
  });
});
