import { describe, expect, it } from "vitest";
import { estimateChatTokens, estimateTokens } from "./tokens.ts";

describe("token estimates", () => {
  it("counts cl100k_base tokens", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("hello world")).toBe(2);
    expect(estimateTokens("hello world ".repeat(100))).toBeGreaterThan(150);
  });

  it("counts special-token text as plain text instead of throwing", () => {
    expect(estimateTokens("<|endoftext|>")).toBeGreaterThan(1);
  });

  it("adds 3 tokens per chat message", () => {
    const messages = [
      { role: "system", content: "hello world" },
      { role: "user", content: "" },
    ];
    expect(estimateChatTokens(messages)).toBe(2 + 3 + 0 + 3);
    expect(estimateChatTokens([])).toBe(0);
  });
});
