// The operators' view of a company's search index.
import { describe, expect, it } from "vitest";
import { registerCompany } from "../../../test/helpers.ts";
import { expectOperatorOnly, indexCommand, indexPath, tenantOf } from "../../../test/search-index.ts";
import { companyOwner } from "../../../test/users.ts";
import { project, showroom } from "../projects/fixtures.ts";

describe("the search index's status", () => {
  it("counts the entries per type and passes FTS5's integrity check", async () => {
    const acme = await registerCompany({ admin_email: "owner@index-status.example" });
    await companyOwner(acme.company_id, "owner@index-status.example");
    const room = await showroom(acme.company_id);
    await project(acme.company_id, room);
    await project(acme.company_id, room, { title: "Second job" });

    const status = await indexCommand(acme.company_id, "status");
    expect(status).toMatchObject({ present: true, integrity: "ok" });
    expect(status.entries).toEqual({
      project: 2,
      client: 2,
      activity: 0,
      document: 0,
      machine: 0,
      member: 1,
      showroom: 1,
    });
  });

  it("reports an index that no longer matches its entries as failed", async () => {
    const acme = await registerCompany();
    await showroom(acme.company_id, { name: "Harrogate" });
    const db = await tenantOf(acme.company_id);
    // An entry changed behind the sync triggers' back: the FTS index still holds the old words.
    await db.batch([
      db.prepare("DROP TRIGGER search_entities_au"),
      db.prepare("UPDATE search_entities SET title = 'Ripon' WHERE entity_type = 'showroom'"),
    ]);
    expect(await indexCommand(acme.company_id, "status")).toMatchObject({
      present: true,
      integrity: "failed",
    });
  });

  it("answers 404 for an unknown company and refuses anyone but an operator", async () => {
    await expectOperatorOnly(indexPath, "GET", "owner@index-status-auth.example");
  });
});
