// Hostile input: whatever is typed, only its letters and digits reach FTS5, each term quoted, so
// FTS5's query syntax (quotes, `*`, NEAR, OR, `-`, `^`, column filters) is never interpreted and no
// input causes a 5xx. Over-long input is refused by validation.
import { describe, expect, it } from "vitest";
import { expectError, registerCompany } from "../../../test/helpers.ts";
import { project, showroom } from "../projects/fixtures.ts";
import { hitKeys, search, searchCall } from "./fixtures.ts";

const battery = [
  '"',
  '""',
  '"unclosed phrase',
  "*",
  "oak*",
  "*oak",
  "NEAR(",
  "NEAR(oak slate, 2)",
  "a OR b",
  "oak OR slate",
  "oak AND",
  "NOT oak",
  "-x",
  "-oak",
  "^",
  "^oak",
  "title:oak",
  "{title body}: oak",
  "oak + slate",
  "(oak",
  "oak)",
  "'; DROP TABLE search_entities; --",
  "x".repeat(1024),
  "oak ".repeat(256),
  "🔥🔥🔥",
  "oak 🔥 slate",
  "👨‍👩‍👧‍👦",
  "\u0000",
  "oak\u0000slate",
  "\uD800",
  "oak\uDC00",
  "\uDFFF\uD800oak",
  "!!!???...",
  "—–…",
  "   ",
  "",
  "\uE000oak\uE001",
  "ｏａｋ",
  "ÖAK",
  "ǅ",
  "ﬃ",
  "٣٤٥",
];

describe("hostile input", () => {
  it("answers 200 to every input of up to 1024 characters, and never lets FTS5 syntax through", async () => {
    const { company_id: companyId } = await registerCompany();
    const room = await showroom(companyId);
    const oak = (await project(companyId, room, { title: "Oak slate" })).id;
    for (const q of battery) {
      const answer = await search(companyId, { q });
      expect(answer.total, JSON.stringify(q)).toBeGreaterThanOrEqual(0);
      expect(answer.hits.length, JSON.stringify(q)).toBeLessThanOrEqual(20);
    }
    // Operators are words like any other: "OR" must be in the record too, "-oak" finds oak.
    expect(hitKeys(await search(companyId, { q: "oak slate", types: ["project"] }))).toEqual([
      `project:${oak}`,
    ]);
    expect((await search(companyId, { q: "oak OR nothing", types: ["project"] })).total).toBe(0);
    expect((await search(companyId, { q: "nothing OR oak", types: ["project"] })).total).toBe(0);
    expect(hitKeys(await search(companyId, { q: "-oak", types: ["project"] })), "-oak").toEqual([
      `project:${oak}`,
    ]);
    expect(hitKeys(await search(companyId, { q: "NEAR(oak slate, 2)", types: ["project"] }))).toEqual([]);
    // The private-use highlight markers typed in are not markup either.
    const marked = await search(companyId, { q: "\uE000oak\uE001", types: ["project"] });
    expect(marked.hits[0]?.title).toMatch(/^#\d+ <mark>Oak<\/mark> slate$/);
    // Fullwidth letters fold to the same words.
    expect(hitKeys(await search(companyId, { q: "ｏａｋ", types: ["project"] })), "fullwidth").toEqual([
      `project:${oak}`,
    ]);
  });

  it("refuses more than 1024 characters with a validation error", async () => {
    const { company_id: companyId } = await registerCompany();
    await expectError(await searchCall(companyId, { q: "x".repeat(1025) }), 400, "VALIDATION_FAILED");
    await expectError(await searchCall(companyId, { q: "oak", limit: 51 }), 400, "VALIDATION_FAILED");
    await expectError(
      await searchCall(companyId, { q: "oak", types: ["secrets"] }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await searchCall(companyId, { q: "oak", filters: { "$.x') OR 1=1 --": "y" } }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(await searchCall(companyId, { q: "oak", unknown: true }), 400, "VALIDATION_FAILED");
  });
});
