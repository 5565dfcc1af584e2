import { describe, expect, it } from "vitest";
import { closestWord, suggestQuery, typoCandidates } from "./typo.ts";

const vocab = (...words: [string, number][]) => words.map(([term, doc]) => ({ term, doc }));

describe("typo candidates", () => {
  it("keeps words within the budget, closest then most common, never the term itself", () => {
    const words = vocab(["invoice", 3], ["invoices", 9], ["invoiced", 1], ["invocie", 1], ["income", 5]);
    expect(typoCandidates("invocie", words)).toEqual(["invoice"]);
    expect(typoCandidates("invoicez", words)).toEqual(["invoices", "invoice", "invoiced"]);
  });

  it("fuzzes nothing of 4 characters or fewer", () => {
    expect(typoCandidates("phne", vocab(["phone", 2]))).toEqual([]);
  });
});

describe("did you mean", () => {
  it("replaces unknown terms by their closest, most common word; keeps known ones and the typed prefix", () => {
    expect(closestWord("phne", vocab(["phone", 2], ["pane", 5]), false)).toBe("pane");
    expect(closestWord("kitch", vocab(["kitchen", 2]), true)).toBe("kitch");
    expect(suggestQuery(["kichen", "oak"], [vocab(["kitchen", 1]), vocab(["oak", 4])])).toBe("kitchen oak");
    expect(suggestQuery(["oak"], [vocab(["oak", 4])])).toBeNull();
    expect(suggestQuery(["zzzz"], [[]])).toBeNull();
  });
});
