import { describe, expect, it } from "vitest";
import { shortTerms, trigramMatch, wordMatch } from "./match.ts";

describe("MATCH expressions", () => {
  it("quotes every term, makes the last a prefix and ORs in the typo variants", () => {
    expect(wordMatch(["oak"])).toBe('"oak"*');
    expect(wordMatch(["invocie", "kitch"], [["invoice"], []])).toBe('("invocie" OR "invoice") AND "kitch"*');
    expect(wordMatch(['a"b'])).toBe('"a""b"*');
  });

  it("searches the trigram twin with the terms long enough for it", () => {
    expect(trigramMatch(["ab", "ller"])).toBe('"ller"');
    expect(trigramMatch(["ab"])).toBeNull();
    expect(shortTerms(["ab", "ller"])).toEqual(["ab"]);
  });
});
