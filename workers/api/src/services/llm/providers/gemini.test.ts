import { describe, expect, it } from "vitest";
import { geminiAdapter } from "./gemini.ts";
import {
  callFor,
  chatInput,
  completeFixture,
  describeAdapterContract,
  finishesOf,
  type SentRequest,
  STAND_IN_ORIGIN,
  STAND_IN_TARGETS,
  standInFetch,
  streamEvents,
  streamFixture,
  textOf,
  usageOf,
} from "./test-support.ts";

const target = STAND_IN_TARGETS.gemini;

describeAdapterContract(target);

function sse(chunks: Record<string, unknown>[]): string {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`).join("");
}

describe("Gemini request", () => {
  it("puts the key in x-goog-api-key (never the URL), system in systemInstruction, assistant as model", async () => {
    const sent: SentRequest[] = [];
    const input = chatInput("", {
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "First." },
        { role: "assistant", content: "Noted." },
        { role: "user", content: "Second." },
      ],
      maxTokens: 64,
      temperature: 0.1,
      topP: 0.5,
      stop: ["END"],
      extra: { seed: 1 },
    });
    const events = await streamEvents(
      geminiAdapter,
      callFor(target, { model: "models/gemini-2.5-pro", fetch: standInFetch(sent) }),
      input,
    );
    expect(textOf(events)).toBe("Stand-in reply to: Second.");
    const [request] = sent;
    expect(request?.url).toBe(
      `${STAND_IN_ORIGIN}/gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse`,
    );
    expect(request?.url).not.toContain("key=");
    expect(request?.headers.get("x-goog-api-key")).toBe("stand-in-gemini-test");
    expect(request?.body).toEqual({
      contents: [
        { role: "user", parts: [{ text: "First." }] },
        { role: "model", parts: [{ text: "Noted." }] },
        { role: "user", parts: [{ text: "Second." }] },
      ],
      systemInstruction: { parts: [{ text: "Be brief." }] },
      generationConfig: { maxOutputTokens: 64, temperature: 0.1, topP: 0.5, stopSequences: ["END"] },
    });
  });
});

describe("Gemini answers", () => {
  const usageMetadata = {
    promptTokenCount: 300,
    cachedContentTokenCount: 256,
    candidatesTokenCount: 7,
    thoughtsTokenCount: 5,
    totalTokenCount: 312,
  };

  it("counts thinking tokens as output and leaves thought parts out of the text", async () => {
    const body = JSON.stringify({
      candidates: [
        {
          content: {
            role: "model",
            parts: [{ text: "pondering", thought: true }, { text: "Hello" }, { text: " world" }],
          },
          finishReason: "STOP",
        },
      ],
      usageMetadata,
      modelVersion: "gemini-2.5-pro-002",
    });
    const completion = await completeFixture(target, body);
    expect(completion).toEqual({
      ok: true,
      text: "Hello world",
      finishReason: "stop",
      usage: { inputTokens: 300, cachedTokens: 256, outputTokens: 12 },
      providerModel: "gemini-2.5-pro-002",
    });
  });

  it("maps finish reasons, and a blocked prompt to content_filter", async () => {
    const expected = {
      STOP: "stop",
      MAX_TOKENS: "length",
      SAFETY: "content_filter",
      RECITATION: "content_filter",
      PROHIBITED_CONTENT: "content_filter",
      OTHER: "stop",
    };
    for (const [finishReason, reason] of Object.entries(expected)) {
      const body = JSON.stringify({ candidates: [{ content: { parts: [] }, finishReason }], usageMetadata });
      expect(await completeFixture(target, body)).toMatchObject({ finishReason: reason });
    }
    const blocked = JSON.stringify({
      promptFeedback: { blockReason: "SAFETY" },
      usageMetadata: { promptTokenCount: 9, totalTokenCount: 9 },
    });
    expect(await completeFixture(target, blocked)).toEqual({
      ok: true,
      text: "",
      finishReason: "content_filter",
      usage: { inputTokens: 9, cachedTokens: 0, outputTokens: 0 },
      providerModel: "gemini-2.0-flash",
    });
  });

  it("reports the final usageMetadata of a stream once, not the running counts before it", async () => {
    const running = { promptTokenCount: 300, cachedContentTokenCount: 256, totalTokenCount: 300 };
    const body = sse([
      { candidates: [{ content: { role: "model", parts: [{ text: "Hello" }] } }], usageMetadata: running },
      { candidates: [{ content: { role: "model", parts: [{ text: " world" }] } }], usageMetadata: running },
      {
        candidates: [{ content: { role: "model", parts: [{ text: "" }] }, finishReason: "MAX_TOKENS" }],
        usageMetadata,
      },
    ]);
    const all = await streamFixture(target, body);
    expect(textOf(all)).toBe("Hello world");
    expect(finishesOf(all)).toEqual(["length"]);
    expect(usageOf(all)).toEqual([{ inputTokens: 300, cachedTokens: 256, outputTokens: 12 }]);
  });

  it("reports no usage for a stream cut before its finishReason, despite running counts", async () => {
    const body = sse([
      {
        candidates: [{ content: { parts: [{ text: "Hel" }] } }],
        usageMetadata: { promptTokenCount: 300, totalTokenCount: 300 },
      },
    ]);
    const all = await streamFixture(target, body);
    expect(all).toEqual([{ type: "text", text: "Hel" }]);
  });

  it("keeps Gemini's error message and treats RESOURCE_EXHAUSTED as retryable", async () => {
    const body = JSON.stringify({
      error: {
        code: 429,
        message: "Resource has been exhausted (e.g. check quota).",
        status: "RESOURCE_EXHAUSTED",
      },
    });
    const result = await completeFixture(target, body, 429);
    expect(result).toEqual({
      ok: false,
      status: 429,
      retryable: true,
      message: "Gemini answered 429: Resource has been exhausted (e.g. check quota).",
    });
  });
});
