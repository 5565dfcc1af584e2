import { describe, expect, it } from "vitest";
import {
  editDistance,
  foldText,
  normalizeQuery,
  queryTerms,
  searchOffline,
  termMatches,
  typoBudget,
} from "./text.ts";

describe("search text rules", () => {
  it("fold Latin diacritics but keep other scripts' marks and Hangul whole", () => {
    expect(foldText("Müller Ñandú CAFÉ")).toBe("muller nandu cafe");
    expect(foldText("ガス")).toBe("ガス");
    expect(foldText("서울")).toBe("서울");
  });

  it("split on anything but letters and digits, so no FTS5 syntax survives", () => {
    expect(queryTerms('"oak" NEAR(kitchen*) -x ^y 🔥 a:b')).toEqual([
      "oak",
      "near",
      "kitchen",
      "x",
      "y",
      "a",
      "b",
    ]);
    expect(queryTerms("!!! \u0000 \ud800")).toEqual([]);
    expect(queryTerms("w ".repeat(50))).toHaveLength(10);
    expect(queryTerms("x".repeat(1000))[0]).toHaveLength(64);
    expect(normalizeQuery("  Küche,   Oak ")).toBe("kuche oak");
  });

  it("allow no typo up to 4 characters, 1 from 5 and 2 from 9", () => {
    expect([
      typoBudget("phne"),
      typoBudget("phnoe"),
      typoBudget("invoicess"),
      typoBudget("東京オフィス"),
    ]).toEqual([0, 1, 2, 1]);
  });

  it("count a swap of neighbours as one edit and stop early past the limit", () => {
    expect(editDistance("phnoe", "phone")).toBe(1);
    expect(editDistance("invocie", "invoice")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("abcdefgh", "zzzzzzzz", 2)).toBe(3);
    expect(termMatches("invo", "invoice", true)).toBe("prefix");
    expect(termMatches("invo", "invoice", false)).toBeNull();
    expect(termMatches("phne", "phone", false)).toBeNull();
  });

  it("search records offline by the same rules, a title hit first", () => {
    const records = [
      { id: "body", title: "Kitchen", body: "the invoice is late" },
      { id: "title", title: "Invoice 42", body: "kitchen" },
      { id: "none", title: "Bathroom", body: "tiles" },
    ];
    expect(searchOffline(records, "invocie").map((hit) => hit.record.id)).toEqual(["title", "body"]);
    expect(searchOffline(records, "42 kitch").map((hit) => hit.record.id)).toEqual(["title"]);
    expect(searchOffline(records, "NEAR(")).toEqual([]);
  });
});
