// The index follows every record write in the same request (the tenant migration's triggers), and its
// DDL is the migration's own.
import { searchFtsTableStatements, searchFtsTriggerStatements } from "@nexus/db";
import { describe, expect, it } from "vitest";
import { callAsOperator, json, registerCompany } from "../../../test/helpers.ts";
import { entry, indexCommand, matches, tenantOf } from "../../../test/search-index.ts";
import { base, upload } from "../../routes/documents/fixtures.ts";
import { activity, company, project, showroom } from "../../routes/projects/fixtures.ts";
import { searchIndexPresent } from "./index-maintenance.ts";

describe("the index's DDL", () => {
  it("is the search migration's, statement for statement", () => {
    // The statements are read from the migration itself (packages/db/src/search-index.ts), so what
    // can go wrong is finding them: all six, each starting at its CREATE.
    expect(searchFtsTableStatements).toHaveLength(3);
    expect(searchFtsTriggerStatements).toHaveLength(3);
    expect(searchFtsTableStatements[0]).toMatch(/^CREATE VIRTUAL TABLE `search_fts` USING fts5\(/);
    expect(searchFtsTriggerStatements.join("\n")).toMatch(
      /^CREATE TRIGGER `search_entities_ai`[\s\S]*END;?$/,
    );
  });
});

describe("records in the index", () => {
  it("appear, change and disappear in the same request as their write", async () => {
    const acme = await registerCompany();
    const companyId = acme.company_id;
    const db = await tenantOf(companyId);
    const patch = (path: string, body: unknown) =>
      callAsOperator(`${company(companyId)}${path}`, { method: "PATCH", body });

    // Showroom: created and renamed through the API; deleted in SQL (the API has no delete).
    const room = await showroom(companyId, { name: "Harrogate" });
    expect(await matches(db, '"harrogate"')).toEqual([`showroom:${room}`]);
    expect((await patch(`/showrooms/${room}`, { name: "Knaresborough" })).status).toBe(200);
    expect(await matches(db, '"harrogate"')).toEqual([]);
    expect(await matches(db, '"knaresborough"')).toEqual([`showroom:${room}`]);

    // Project and its client.
    const job = await project(companyId, room, {
      title: "Zanzibar kitchen",
      client: { name: "Grace Hopper", email: "grace@example.com", phone: "+44 113 496 0000" },
    });
    expect(await entry(db, "project", job.id)).toMatchObject({
      title: "#1 Zanzibar kitchen",
      project_id: job.id,
    });
    expect(await matches(db, '"zanzibar"')).toEqual([`project:${job.id}`]);
    expect(await matches(db, '"hopper"')).toEqual([`client:${job.id}`, `project:${job.id}`]);
    expect((await patch(`/projects/${job.id}`, { title: "Mombasa bathroom" })).status).toBe(200);
    expect(await matches(db, '"zanzibar"')).toEqual([]);
    expect(await matches(db, '"mombasa"')).toEqual([`project:${job.id}`]);

    // Activity: created through the API; changed and deleted in SQL (the API keeps them).
    const noted = await activity(companyId, job.id, { type: "note", body: "Wants quartzite worktops" });
    expect(noted.status, await noted.clone().text()).toBe(201);
    const activityId = (await json<{ activity: { id: string } }>(noted)).activity.id;
    expect(await matches(db, '"quartzite"')).toEqual([`activity:${activityId}`]);
    await db.prepare("UPDATE activities SET body = 'Changed to granite' WHERE id = ?").bind(activityId).run();
    expect(await matches(db, '"quartzite"')).toEqual([]);
    expect(await matches(db, '"granite"')).toEqual([`activity:${activityId}`]);
    await db.prepare("DELETE FROM activities WHERE id = ?").bind(activityId).run();
    expect(await matches(db, '"granite"')).toEqual([]);

    // Machine: created, changed and deleted through the API.
    const created = await callAsOperator(`${company(companyId)}/machines`, {
      body: { name: "Walrus press", type: "hydraulic", metadata: { maker: "Tarbert" } },
    });
    const machineId = (await json<{ machine: { id: string } }>(created)).machine.id;
    expect(await matches(db, '"tarbert"')).toEqual([`machine:${machineId}`]);
    expect((await patch(`/machines/${machineId}`, { name: "Narwhal press" })).status).toBe(200);
    expect(await matches(db, '"walrus"')).toEqual([]);
    expect(await matches(db, '"narwhal"')).toEqual([`machine:${machineId}`]);
    const removed = await callAsOperator(`${company(companyId)}/machines/${machineId}`, { method: "DELETE" });
    expect(removed.status).toBeLessThan(300);
    expect(await matches(db, '"narwhal"')).toEqual([]);

    // Document: indexed once ready, renamed, gone with a soft delete.
    const doc = await upload(companyId, "capybara.txt", new TextEncoder().encode("plain words"), {
      tags: ["survey"],
    });
    expect(await matches(db, '"capybara"')).toEqual([`document:${doc.id}`]);
    expect(await matches(db, '"survey"')).toEqual([`document:${doc.id}`]);
    expect((await patch(`/documents/${doc.id}`, { name: "okapi.txt" })).status).toBe(200);
    expect(await matches(db, '"capybara"')).toEqual([]);
    expect(await matches(db, '"okapi"')).toEqual([`document:${doc.id}`]);
    const deleted = await callAsOperator(`${base(companyId)}/${doc.id}`, { method: "DELETE" });
    expect(deleted.status).toBeLessThan(300);
    expect(await matches(db, '"okapi"')).toEqual([]);
    expect(await entry(db, "document", doc.id)).toBeNull();

    // Project deleted (in SQL: the API archives, it does not delete): its client goes with it.
    await db.prepare("DELETE FROM projects WHERE id = ?").bind(job.id).run();
    expect(await matches(db, '"hopper"')).toEqual([]);
    await db.prepare("DELETE FROM showrooms WHERE id = ?").bind(room).run();
    expect(await matches(db, '"knaresborough"')).toEqual([]);

    expect(await indexCommand(companyId, "status")).toMatchObject({ present: true, integrity: "ok" });
  });

  it("tells whether the FTS tables are there", async () => {
    const acme = await registerCompany();
    const db = await tenantOf(acme.company_id);
    expect(await searchIndexPresent(db)).toBe(true);
    await indexCommand(acme.company_id, "drop");
    expect(await searchIndexPresent(db)).toBe(false);
    // A partial drop (one table gone) is not an index either; the rebuild clears it and starts over.
    await indexCommand(acme.company_id, "rebuild");
    await db.prepare("DROP TABLE search_vocab").run();
    expect(await searchIndexPresent(db)).toBe(false);
    expect(await indexCommand(acme.company_id, "rebuild")).toMatchObject({ present: true, integrity: "ok" });
  });
});
