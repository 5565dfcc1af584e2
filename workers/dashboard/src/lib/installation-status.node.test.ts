import { expect, it } from "vitest";
import { brandOf } from "./branding.ts";
import { countBy } from "./installation-status.ts";

it("counts by label, most common first", () => {
  expect(countBy(["b", "a", "b", "c"], (value) => value)).toEqual([
    { label: "b", count: 2 },
    { label: "a", count: 1 },
    { label: "c", count: 1 },
  ]);
});

it("takes a hex primary color with readable text, and ignores anything else", () => {
  expect(brandOf({ primary_color: "#0f766e" })).toEqual({ color: "#0f766e", contrast: "#ffffff" });
  expect(brandOf({ primary_color: "#fde047" })).toEqual({ color: "#fde047", contrast: "#000000" });
  expect(brandOf({ primary_color: "#fff" })?.contrast).toBe("#000000");
  expect(brandOf({ primary_color: "red; background: url(https://evil.example)" })).toBeNull();
  expect(brandOf({ primary_color: 42 })).toBeNull();
  expect(brandOf({})).toBeNull();
});
