import { expect, it } from "vitest";
import { withQuery } from "./query.ts";

it("changes the address's query, dropping emptied filters", () => {
  expect(withQuery("/companies/c/pipeline", { q: "hart" })).toBe("/companies/c/pipeline?q=hart");
  expect(withQuery("/companies/c/pipeline?q=hart&showroom=s1", { q: "" })).toBe(
    "/companies/c/pipeline?showroom=s1",
  );
  expect(withQuery("/p?a=1", { a: undefined, b: "x y" })).toBe("/p?b=x+y");
});
