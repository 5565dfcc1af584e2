// Offline search of synced jobs: each job read as the server indexes a project, searched by the
// API's rules (every term must match; prefix on the last term; 1 typo from 5 characters, 2 from 9,
// none up to 4; title over tags over body), with any input safe.
import { describe, expect, it } from "vitest";
import { jobSearchRecord, type Project, searchJobs, searchOffline } from "./index.ts";

let next = 0;
function job(overrides: Partial<Project> & { client?: Project["client"] }): Project {
  next += 1;
  return {
    id: `job-${next}`,
    number: next,
    reference: `P-${String(next).padStart(6, "0")}`,
    title: "Bathroom refit",
    client: { name: "Ada Lovelace", email: "ada@example.com" },
    showroom_id: "room-1",
    stage: "installation",
    stage_entered_at: "2026-11-01T09:00:00.000Z",
    status: "active",
    value: null,
    checklist: {},
    assignments: {},
    expected_completion: null,
    created_at: "2026-11-01T09:00:00.000Z",
    updated_at: "2026-11-01T09:00:00.000Z",
    ...overrides,
  };
}

const ids = (hits: { record: { id: string } }[]) => hits.map((hit) => hit.record.id);

describe("offline search of synced jobs", () => {
  it("reads a job as the server's project entry: #number and title, client details, stage and status", () => {
    const record = jobSearchRecord(
      job({
        number: 42,
        title: "Kitchen for the Müllers",
        client: {
          name: "Grete Müller",
          email: "grete@example.de",
          phone: "0113 496 0000",
          address: { line1: "1 Briggate", city: "Leeds", postcode: "LS1 6HD" },
        },
        stage: "survey",
        status: "on_hold",
      }),
    );
    expect(record).toMatchObject({
      title: "#42 Kitchen for the Müllers",
      body: "Grete Müller grete@example.de 1 Briggate Leeds LS1 6HD",
      tags: "survey on_hold",
    });
  });

  it("finds jobs by number, words, prefixes and folded diacritics, every term required", () => {
    const bathroom = job({ number: 7, title: "Bathroom refit" });
    const kitchen = job({
      number: 8,
      title: "Kitchen",
      client: { name: "Grete Müller", address: { city: "Leeds" } },
    });
    const jobs = [bathroom, kitchen];
    expect(ids(searchJobs(jobs, "#7"))).toEqual([bathroom.id]);
    expect(ids(searchJobs(jobs, "bath"))).toEqual([bathroom.id]);
    expect(ids(searchJobs(jobs, "muller leeds"))).toEqual([kitchen.id]);
    expect(ids(searchJobs(jobs, "MÜLL"))).toEqual([kitchen.id]);
    expect(ids(searchJobs(jobs, "kitchen bathroom"))).toEqual([]);
    // A prefix only for the term being typed: "kit" done, then a word, is no match.
    expect(ids(searchJobs(jobs, "kit leeds"))).toEqual([]);
  });

  it("forgives typos within the budget and never fuzzes terms of 4 characters or fewer", () => {
    const jobs = [
      job({ title: "Boiler service", client: { name: "Ivy Phone", email: "ivy@example.com" } }),
      job({ title: "Window", client: { name: "Leeds Council" } }),
    ];
    expect(ids(searchJobs(jobs, "phnoe"))).toEqual([jobs[0]?.id]);
    expect(ids(searchJobs(jobs, "boilre servcie"))).toEqual([jobs[0]?.id]);
    // "counsil" (7 characters) is 1 typo away; "leds" (4) is not fuzzed, and "wndw" neither.
    expect(ids(searchJobs(jobs, "counsil"))).toEqual([jobs[1]?.id]);
    expect(ids(searchJobs(jobs, "leds"))).toEqual([]);
    expect(ids(searchJobs(jobs, "wndw"))).toEqual([]);
    // Two typos need 9 characters: "servcei" (7) is 2 away from "service".
    expect(ids(searchJobs(jobs, "servcei"))).toEqual([]);
  });

  it("ranks a title hit over a tag hit over a body hit, and exact over typo", () => {
    const inBody = job({ title: "Loft", client: { name: "Installation Partners Ltd" }, stage: "survey" });
    const inTags = job({ title: "Porch", stage: "installation" });
    const inTitle = job({ title: "Installation of a wet room", stage: "survey" });
    const byTypo = job({ title: "Instalation checklist", stage: "survey" });
    const hits = searchJobs([inBody, byTypo, inTags, inTitle], "installation");
    expect(ids(hits)).toEqual([inTitle.id, byTypo.id, inTags.id, inBody.id]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score ?? Number.POSITIVE_INFINITY);
  });

  it("takes any input without throwing, searching only its letters and digits", () => {
    const jobs = [job({ title: "Roof repair" })];
    for (const query of ['"roof', "roof*", "NEAR(roof repair)", "roof 🏠", "-roof", "r".repeat(1024), ""]) {
      expect(() => searchJobs(jobs, query)).not.toThrow();
    }
    expect(ids(searchJobs(jobs, '"roof" * -repair)'))).toEqual([jobs[0]?.id]);
    // FTS5 operators are plain words here, so they must match like any other.
    expect(ids(searchJobs(jobs, 'NEAR("roof" repair)'))).toEqual([]);
    expect(searchJobs(jobs, "🏠 ***")).toEqual([]);
  });

  it("searches other records by the same rules and keeps to the limit", () => {
    const notes = Array.from({ length: 30 }, (_, i) => ({
      id: `note-${i}`,
      title: `Note ${i}`,
      body: "skirting board",
    }));
    expect(searchOffline(notes, "skirting")).toHaveLength(20);
    expect(searchOffline(notes, "skirting", 5)).toHaveLength(5);
    expect(ids(searchOffline(notes, "note 17"))).toEqual(["note-17"]);
  });
});
