// Rebuilding a company's search index from its records.
import { describe, expect, it } from "vitest";
import { callAsOperator, registerCompany } from "../../../test/helpers.ts";
import {
  entries,
  expectOperatorOnly,
  indexCommand,
  indexPath,
  matches,
  tenantOf,
} from "../../../test/search-index.ts";
import { companyOwner } from "../../../test/users.ts";
import { activity, project, showroom } from "../projects/fixtures.ts";

const rebuildPath = (companyId: string) => `${indexPath(companyId)}/rebuild`;

describe("rebuilding the search index", () => {
  it("reproduces the same entries and the same MATCH results, and repairs a damaged index", async () => {
    const acme = await registerCompany({ admin_email: "owner@index-rebuild.example" });
    await companyOwner(acme.company_id, "owner@index-rebuild.example");
    const room = await showroom(acme.company_id, { name: "Harrogate" });
    const job = await project(acme.company_id, room, {
      title: "Kitchen in Harrogate",
      client: { name: "Grace Hopper", email: "grace@example.com", address: { city: "Harrogate" } },
    });
    expect((await activity(acme.company_id, job.id, { type: "note", body: "Grace wants oak" })).status).toBe(
      201,
    );
    const db = await tenantOf(acme.company_id);
    const queries = ['"harrogate"', '"grace"', '"oak"', '"kit"*', '"owner"'];
    const before = {
      entries: await entries(db),
      found: await Promise.all(queries.map((q) => matches(db, q))),
    };
    expect(before.found[0]?.length).toBeGreaterThanOrEqual(3);

    // Damage both sides: an entry lost, another changed behind the sync triggers' back.
    await db.batch([
      db.prepare("DELETE FROM search_entities WHERE entity_type = 'activity'"),
      db.prepare("DROP TRIGGER search_entities_au"),
      db.prepare("UPDATE search_entities SET title = 'Ripon' WHERE entity_type = 'showroom'"),
    ]);
    expect((await indexCommand(acme.company_id, "status")).integrity).toBe("failed");

    const rebuilt = await indexCommand(acme.company_id, "rebuild");
    expect(rebuilt).toMatchObject({ present: true, integrity: "ok" });
    expect(rebuilt.entries).toMatchObject({ project: 1, client: 1, activity: 1, showroom: 1, member: 1 });
    expect(await entries(db)).toEqual(before.entries);
    expect(await Promise.all(queries.map((q) => matches(db, q)))).toEqual(before.found);
    // The trigger the damage removed is back: updates reach the index again.
    await callAsOperator(`/api/admin/companies/${acme.company_id}/showrooms/${room}`, {
      method: "PATCH",
      body: { name: "Knaresborough" },
    });
    expect(await matches(db, '"knaresborough"')).toEqual([`showroom:${room}`]);
    expect((await indexCommand(acme.company_id, "status")).integrity).toBe("ok");
  });

  it("answers 404 for an unknown company and refuses anyone but an operator", async () => {
    await expectOperatorOnly(rebuildPath, "POST", "owner@index-rebuild-auth.example");
  });
});
