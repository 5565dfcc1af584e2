import { describe, expect, it } from "vitest";
import { brandOf, colorContrastWarning, contrastRatio, logoOf, normalizeHexColor } from "./branding.ts";

describe("brandOf", () => {
  it("takes a hex primary color with the text color that reads on it", () => {
    expect(brandOf({ primary_color: "#0f766e" })).toEqual({ color: "#0f766e", contrast: "#ffffff" });
    expect(brandOf({ primary_color: " #FD0 " })).toEqual({ color: "#FD0", contrast: "#000000" });
  });

  it("ignores anything that is not a plain hex color", () => {
    for (const value of ["red", "#12345", "#1234567", "url(x)", "#0f766e; color: red", 42, null]) {
      expect(brandOf({ primary_color: value })).toBeNull();
    }
    expect(brandOf({})).toBeNull();
  });
});

describe("normalizeHexColor", () => {
  it("expands short forms and lower-cases, so the color input can show it", () => {
    expect(normalizeHexColor("#ABC")).toBe("#aabbcc");
    expect(normalizeHexColor(" #0F766E ")).toBe("#0f766e");
    expect(normalizeHexColor("0f766e")).toBeNull();
    expect(normalizeHexColor("")).toBeNull();
  });
});

describe("contrast", () => {
  it("computes WCAG ratios", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#ffffff", "#ffffff")).toBeCloseTo(1, 5);
    // The order of the two colors does not matter.
    expect(contrastRatio("#1d4ed8", "#ffffff")).toBeCloseTo(contrastRatio("#ffffff", "#1d4ed8"), 10);
    expect(contrastRatio("#767676", "#ffffff")).toBeCloseTo(4.54, 2);
  });

  it("warns about colors that read badly on the white page, and not about dark ones", () => {
    expect(colorContrastWarning("#1d4ed8")).toBeNull();
    expect(colorContrastWarning("#0f766e")).toBeNull();
    expect(colorContrastWarning("#ffdd00")).toMatch(/contrast of 1\.\d:1.*4\.5:1/);
    expect(colorContrastWarning("#38bdf8")).not.toBeNull();
  });
});

describe("logoOf", () => {
  const png = `data:image/png;base64,${btoa("\x89PNG\r\n\x1a\n....")}`;

  it("takes a logo the API would take", () => {
    expect(logoOf({ logo_url: "https://cdn.example.com/logo.svg" })).toBe("https://cdn.example.com/logo.svg");
    expect(logoOf({ logo_url: png })).toBe(png);
  });

  it("ignores anything else, so no other string becomes an image source", () => {
    for (const value of ["http://cdn.example.com/logo.png", "javascript:alert(1)", "", 7, null]) {
      expect(logoOf({ logo_url: value })).toBeNull();
    }
    expect(logoOf({})).toBeNull();
  });
});
