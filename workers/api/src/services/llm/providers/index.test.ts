import { describe, expect, it } from "vitest";
import { anthropicAdapter } from "./anthropic.ts";
import { geminiAdapter } from "./gemini.ts";
import { adapterFor } from "./index.ts";
import { openAiAdapter } from "./openai.ts";
import { workersAiAdapter } from "./workers-ai.ts";

describe("adapterFor", () => {
  it("answers each provider's adapter", () => {
    expect(adapterFor("openai")).toBe(openAiAdapter);
    expect(adapterFor("anthropic")).toBe(anthropicAdapter);
    expect(adapterFor("gemini")).toBe(geminiAdapter);
    expect(adapterFor("workers_ai")).toBe(workersAiAdapter);
  });
});
