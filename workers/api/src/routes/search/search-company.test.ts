// The federated search as a user meets it: ranking (title over body, type weights), typo tolerance,
// prefix search, facets and filters, marked and escaped snippets, "did you mean", other scripts,
// pages, the query log with its event, and a dropped index.
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { callAsOperator, expectError, registerCompany } from "../../../test/helpers.ts";
import { activity, company, project, showroom } from "../projects/fixtures.ts";
import {
  dropIndexTables,
  hitKeys,
  loggedQueries,
  machine,
  search,
  searchCall,
  textDocument,
} from "./fixtures.ts";

interface Seed {
  companyId: string;
  granite: string;
  bathroom: string;
  invoice: string;
  phoneNote: string;
  lathe: string;
  saw: string;
  orchidMachine: string;
  orchidShowroom: string;
  html: string;
  tokyo: string;
  muller: string;
}

/** A company with records of every kind, created through the API (the triggers index them). */
async function seed(): Promise<Seed> {
  {
    const { company_id: companyId } = await registerCompany();
    const room = await showroom(companyId, { name: "Oak House", type: "retail" });
    const granite = (
      await project(companyId, room, { title: "Granite worktop", client: { name: "Alan Turing" } })
    ).id;
    const bathroom = (
      await project(companyId, room, { title: "Bathroom refit", client: { name: "Granite Jones" } })
    ).id;
    const invoice = (await project(companyId, room, { title: "Invoice reconciliation" })).id;
    const noted = await activity(companyId, invoice, {
      type: "call",
      body: "Called the client on the phone about tiles",
    });
    expect(noted.status, await noted.clone().text()).toBe(201);
    const phoneNote = ((await noted.json()) as { activity: { id: string } }).activity.id;
    await project(companyId, room, { title: "Oak kitchen" });
    await activity(companyId, granite, { type: "note", body: "oak samples delivered" });
    const lathe = await machine(companyId, { name: "Oak lathe", type: "lathe", status: "idle" });
    const saw = await machine(companyId, { name: "Oak saw", type: "saw", status: "running" });
    await textDocument(companyId, "oak-brochure.txt", "The oak range brochure");
    const orchidMachine = await machine(companyId, { name: "Orchid press" });
    const orchidShowroom = await showroom(companyId, { name: "Orchid", type: "retail" });
    const html = (await project(companyId, room, { title: "<b>x</b> Marble" })).id;
    await activity(companyId, html, {
      type: "note",
      body: "Fitted the <script>alert(1)</script> marble sink",
    });
    const tokyo = (await project(companyId, room, { title: "東京オフィス" })).id;
    const muller = (await project(companyId, room, { title: "Müller Küchen" })).id;
    return {
      companyId,
      granite,
      bathroom,
      invoice,
      phoneNote,
      lathe,
      saw,
      orchidMachine,
      orchidShowroom,
      html,
      tokyo,
      muller,
    };
  }
}

describe("ranking", () => {
  it("puts a title hit above a body hit", async () => {
    const s = await seed();
    const answer = await search(s.companyId, { q: "granite", types: ["project"] });
    expect(hitKeys(answer)).toEqual([`project:${s.granite}`, `project:${s.bathroom}`]);
    expect(answer.hits[0]?.score).toBeGreaterThan(answer.hits[1]?.score ?? Number.POSITIVE_INFINITY);
  });

  it("multiplies by the type weights, which the request can change", async () => {
    const s = await seed();
    const machineFirst = await search(s.companyId, { q: "orchid", weights: { machine: 10, showroom: 0.1 } });
    expect(hitKeys(machineFirst)).toEqual([`machine:${s.orchidMachine}`, `showroom:${s.orchidShowroom}`]);
    const showroomFirst = await search(s.companyId, { q: "orchid", weights: { machine: 0.1, showroom: 10 } });
    expect(hitKeys(showroomFirst)).toEqual([`showroom:${s.orchidShowroom}`, `machine:${s.orchidMachine}`]);
    // The weight multiplies the relevance: twice the weight, twice the score.
    const once = await search(s.companyId, { q: "orchid", types: ["machine"], weights: { machine: 1 } });
    const twice = await search(s.companyId, { q: "orchid", types: ["machine"], weights: { machine: 2 } });
    expect(twice.hits[0]?.score).toBeCloseTo((once.hits[0]?.score ?? 0) * 2, 3);
  });
});

describe("typo tolerance and prefixes", () => {
  it("finds `invocie` and `phnoe`, marking them as typo matches with their corrections", async () => {
    const s = await seed();
    const invoice = await search(s.companyId, { q: "invocie" });
    expect(hitKeys(invoice)).toContain(`project:${s.invoice}`);
    expect(invoice.hits[0]).toMatchObject({ id: s.invoice, match: "typo" });
    expect(invoice.hits[0]?.title).toContain("<mark>Invoice</mark>");
    expect(invoice.corrections).toEqual({ invocie: ["invoice"] });
    const phone = await search(s.companyId, { q: "phnoe" });
    expect(hitKeys(phone)).toEqual([`activity:${s.phoneNote}`]);
    expect(phone.hits[0]?.snippet).toContain("<mark>phone</mark>");
  });

  it("never fuzzes terms of 4 characters or fewer, but suggests the intended word", async () => {
    const s = await seed();
    const short = await search(s.companyId, { q: "phne" });
    expect(short.total).toBe(0);
    expect(short.corrections).toEqual({});
    expect(short.suggestion).toBe("phone");
    expect((await search(s.companyId, { q: "oka" })).total).toBe(0);
  });

  it("finds by prefix as the user types", async () => {
    const s = await seed();
    const typed = await search(s.companyId, { q: "invo" });
    expect(typed.hits[0]).toMatchObject({ type: "project", id: s.invoice, match: "exact" });
    // Only the last term is a word prefix; elsewhere "invo" is found as a substring, ranked as such.
    expect((await search(s.companyId, { q: "invo reconciliation" })).hits).toMatchObject([
      { id: s.invoice, match: "contains" },
    ]);
    expect((await search(s.companyId, { q: "reconciliation invo" })).hits[0]?.id).toBe(s.invoice);
  });

  it("ranks exact matches before typo matches", async () => {
    const s = await seed();
    // "oak" is exact in five records; "oaks" (4 chars) is not fuzzed, "samples" is exact.
    const answer = await search(s.companyId, { q: "sample" });
    expect(answer.hits.every((hit) => hit.match === "exact")).toBe(true);
    const mixed = await search(s.companyId, { q: "granitt" });
    expect(mixed.hits.length).toBeGreaterThan(0);
    expect(mixed.hits.every((hit) => hit.match === "typo")).toBe(true);
  });
});

describe("facets and filters", () => {
  it("counts per type equal to the totals of per-type searches, over every page", async () => {
    const s = await seed();
    const all = await search(s.companyId, { q: "oak", facets: ["machine_status", "machine_type"], limit: 1 });
    expect(all.hits).toHaveLength(1);
    const counts = all.facets.type ?? {};
    expect(Object.values(counts).reduce((sum, n) => sum + n, 0)).toBe(all.total);
    expect(counts).toMatchObject({ machine: 2, project: 1, showroom: 1, activity: 1, document: 1 });
    for (const [type, count] of Object.entries(counts)) {
      const only = await search(s.companyId, { q: "oak", types: [type as "machine"] });
      expect(only.total, type).toBe(count);
    }
    expect(all.facets.machine_status).toEqual({ idle: 1, running: 1 });
    expect(all.facets.machine_type).toEqual({ lathe: 1, saw: 1 });
  });

  it("filters by facet values (one or several), keeping only the types a field describes", async () => {
    const s = await seed();
    const idle = await search(s.companyId, {
      q: "oak",
      filters: { machine_status: "idle" },
      facets: ["machine_status"],
    });
    expect(hitKeys(idle)).toEqual([`machine:${s.lathe}`]);
    expect(idle.facets).toEqual({ type: { machine: 1 }, machine_status: { idle: 1 } });
    const both = await search(s.companyId, { q: "oak", filters: { machine_status: ["idle", "running"] } });
    expect(hitKeys(both).sort()).toEqual([`machine:${s.lathe}`, `machine:${s.saw}`].sort());
    const none = await search(s.companyId, { q: "oak", filters: { machine_status: "idle", stage: "lead" } });
    expect(none.total).toBe(0);
    const byType = await search(s.companyId, { q: "oak", types: ["showroom", "document"] });
    expect(new Set(byType.hits.map((hit) => hit.type))).toEqual(new Set(["showroom", "document"]));
  });

  it("pages with an opaque cursor and refuses a forged one", async () => {
    const s = await seed();
    const all = await search(s.companyId, { q: "oak" });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await search(s.companyId, { q: "oak", limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...hitKeys(page));
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(hitKeys(all));
    await expectError(
      await searchCall(s.companyId, { q: "oak", cursor: "b2Zmc2V0" }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await searchCall(s.companyId, { q: "oak", cursor: btoa("o:5000") }),
      400,
      "VALIDATION_FAILED",
    );
  });
});

describe("snippets", () => {
  it("marks matches with <mark> and escapes the records' HTML", async () => {
    const s = await seed();
    const answer = await search(s.companyId, { q: "marble" });
    const title = answer.hits.find((hit) => hit.type === "project");
    expect(title?.title).toMatch(/^#\d+ &lt;b&gt;x&lt;\/b&gt; <mark>Marble<\/mark>$/);
    const note = answer.hits.find((hit) => hit.type === "activity");
    expect(note?.snippet).toContain("&lt;script&gt;alert(1)&lt;/script&gt; <mark>marble</mark>");
    expect(JSON.stringify(answer.hits)).not.toMatch(/<(b|script)>/);
    // Only the title matched: no body fragment.
    expect(title?.snippet).toBe("");
  });
});

describe("did you mean", () => {
  it("suggests the closest indexed words when a query finds little, and nothing when it finds enough", async () => {
    const s = await seed();
    const weak = await search(s.companyId, { q: "kichen oka" });
    expect(weak.total).toBe(0);
    expect(weak.suggestion).toBe("kitchen oak");
    expect((await search(s.companyId, { q: "oak" })).suggestion).toBeNull();
    expect((await search(s.companyId, { q: "zzzzqqq" })).suggestion).toBeNull();
  });
});

describe("other scripts", () => {
  it("finds Japanese by prefix and by substring, and German without its umlauts", async () => {
    const s = await seed();
    expect(hitKeys(await search(s.companyId, { q: "東京オ" }))).toContain(`project:${s.tokyo}`);
    const contains = await search(s.companyId, { q: "オフィス" });
    expect(contains.hits[0]).toMatchObject({ id: s.tokyo, match: "contains" });
    expect(contains.hits[0]?.title).toContain("<mark>");
    expect((await search(s.companyId, { q: "muller kuchen" })).hits[0]?.id).toBe(s.muller);
    expect((await search(s.companyId, { q: "Müller" })).hits[0]?.id).toBe(s.muller);
    expect((await search(s.companyId, { q: "ller" })).hits[0]).toMatchObject({
      id: s.muller,
      match: "contains",
    });
  });
});

describe("the query log", () => {
  it("writes one row per request with the result count, and a search.performed event", async () => {
    const { company_id: companyId } = await registerCompany();
    const room = await showroom(companyId, { name: "Leeds" });
    await project(companyId, room, { title: "Slate floor" });
    const answer = await search(companyId, { q: "  SLATE!! ", types: ["project", "client"] });
    const empty = await search(companyId, { q: "nothing here" });
    const rows = await vi.waitFor(async () => {
      const logged = await loggedQueries(companyId);
      expect(logged).toHaveLength(2);
      return logged;
    });
    expect(rows[0]).toMatchObject({
      id: answer.query_id,
      query: "slate",
      types: JSON.stringify(["project", "client"]),
      result_count: answer.total,
      actor_type: "operator",
    });
    expect(answer.total).toBe(1);
    expect(rows[1]).toMatchObject({ id: empty.query_id, query: "nothing here", result_count: 0 });
    const events = await vi.waitFor(async () => {
      const { results } = await env.CENTRAL_DB.prepare(
        "SELECT data FROM webhook_events WHERE company_id = ? AND type = 'search.performed' ORDER BY created_at",
      )
        .bind(companyId)
        .all<{ data: string }>();
      expect(results).toHaveLength(2);
      return results.map((row) => JSON.parse(row.data) as Record<string, unknown>);
    });
    expect(events[0]).toEqual({
      query_id: answer.query_id,
      query: "slate",
      result_count: 1,
      types: ["project", "client"],
    });
  });
});

describe("a dropped index", () => {
  it("answers 409 SEARCH_INDEX_MISSING naming the rebuild", async () => {
    const { company_id: companyId } = await registerCompany();
    await project(companyId, await showroom(companyId), { title: "Walnut desk" });
    expect((await search(companyId, { q: "walnut" })).total).toBe(1);
    await dropIndexTables(companyId);
    for (const q of ["walnut", "walnutt", "wa"]) {
      const error = await expectError(await searchCall(companyId, { q }), 409, "SEARCH_INDEX_MISSING");
      expect(error.message).toContain("nexus search rebuild");
    }
    // An empty query reads no index.
    expect((await callAsOperator(`${company(companyId)}/search`, { body: { q: "" } })).status).toBe(200);
  });
});
