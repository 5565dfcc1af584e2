import { describe, expect, it } from "vitest";
import { escapeHtml, MARK_CLOSE, MARK_OPEN, markedHtml } from "./highlight.ts";

describe("markedHtml", () => {
  it("escapes the text and turns the markers into <mark>", () => {
    expect(markedHtml(`<b>x</b> ${MARK_OPEN}Marble${MARK_CLOSE} & "co"`)).toBe(
      "&lt;b&gt;x&lt;/b&gt; <mark>Marble</mark> &amp; &quot;co&quot;",
    );
  });

  it("never leaves a tag open or closes one it did not open", () => {
    expect(markedHtml(`${MARK_CLOSE}a${MARK_OPEN}b${MARK_OPEN}c`)).toBe("a<mark>bc</mark>");
    expect(markedHtml("plain")).toBe("plain");
    expect(escapeHtml("<script>'")).toBe("&lt;script&gt;&#39;");
  });
});
