import { expect, it } from "vitest";
import { formatBytes, formatDate, formatValue } from "./format.ts";

it("shows values in the company's currency when its settings name one", () => {
  expect(formatValue(12_345, {})).toBe("12,345");
  expect(formatValue(12_345.5, { currency: "GBP" })).toBe("£12,346");
  expect(formatValue(99, { currency: "pounds" })).toBe("99");
  expect(formatValue(null, {})).toBe("No value yet");
});

it("shows sizes in binary units", () => {
  expect(formatBytes(1)).toBe("1 byte");
  expect(formatBytes(1000)).toBe("1000 bytes");
  expect(formatBytes(1536)).toBe("1.5 KB");
  expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MB");
  expect(formatBytes(300 * 1024 * 1024)).toBe("300 MB");
});

it("shows calendar dates as written, whatever the time zone", () => {
  expect(formatDate("2026-12-01")).toBe("Dec 1, 2026");
});
