import { expect, it } from "vitest";
import { safeNextPath } from "./router.ts";

it("returns to paths on this site after sign-in, and nowhere else", () => {
  expect(safeNextPath("/companies/abc")).toBe("/companies/abc");
  expect(safeNextPath("/companies?q=x")).toBe("/companies?q=x");
  for (const elsewhere of [
    null,
    "",
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
  ]) {
    expect(safeNextPath(elsewhere)).toBe("/");
  }
});
