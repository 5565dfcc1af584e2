// Dropping a company's FTS tables for a D1 export, and getting them back with a rebuild.
import { describe, expect, it } from "vitest";
import { callAsOperator, expectError, json, registerCompany } from "../../../test/helpers.ts";
import {
  entries,
  entry,
  expectOperatorOnly,
  indexCommand,
  indexPath,
  matches,
  tenantOf,
} from "../../../test/search-index.ts";
import { showroom } from "../projects/fixtures.ts";

const search = (companyId: string, q: string) =>
  callAsOperator(`/api/admin/companies/${companyId}/search`, { body: { q } });

describe("dropping the search index", () => {
  it("removes the FTS tables but keeps the entries following the records, until a rebuild", async () => {
    const acme = await registerCompany();
    const room = await showroom(acme.company_id, { name: "Harrogate" });
    const db = await tenantOf(acme.company_id);
    const kept = await entries(db);

    const dropped = await indexCommand(acme.company_id, "drop");
    expect(dropped).toMatchObject({ present: false, integrity: "missing", entries: { showroom: 1 } });
    const { results } = await db
      .prepare(
        "SELECT name FROM sqlite_master WHERE name LIKE 'search_fts%' OR name LIKE 'search_trigram%' OR name IN ('search_vocab', 'search_entities_ai', 'search_entities_ad', 'search_entities_au')",
      )
      .all<{ name: string }>();
    expect(results).toEqual([]);
    await expect(matches(db, '"harrogate"')).rejects.toThrow(/no such table: search_fts/);
    await expectError(await search(acme.company_id, "harrogate"), 409, "SEARCH_INDEX_MISSING");
    expect(await entries(db)).toEqual(kept);
    // Dropping twice is harmless (the export script may run again after a failure).
    expect((await indexCommand(acme.company_id, "drop")).present).toBe(false);

    // Records written meanwhile still reach search_entities (their own triggers stay).
    const created = await callAsOperator(`/api/admin/companies/${acme.company_id}/machines`, {
      body: { name: "Walrus press" },
    });
    const machineId = (await json<{ machine: { id: string } }>(created)).machine.id;
    expect(await entry(db, "machine", machineId)).toMatchObject({ title: "Walrus press" });

    expect(await indexCommand(acme.company_id, "rebuild")).toMatchObject({ present: true, integrity: "ok" });
    expect(await matches(db, '"harrogate"')).toEqual([`showroom:${room}`]);
    expect(await matches(db, '"walrus"')).toEqual([`machine:${machineId}`]);
    const found = await search(acme.company_id, "harrogate");
    expect(found.status, await found.clone().text()).toBe(200);
    expect((await json<{ hits: { type: string; id: string }[] }>(found)).hits).toMatchObject([
      { type: "showroom", id: room },
    ]);
  });

  it("answers 404 for an unknown company and refuses anyone but an operator", async () => {
    const companyId = await expectOperatorOnly(indexPath, "DELETE", "owner@index-drop-auth.example");
    expect((await indexCommand(companyId, "status")).present).toBe(true);
  });
});
