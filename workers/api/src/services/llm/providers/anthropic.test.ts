import { describe, expect, it } from "vitest";
import { anthropicAdapter } from "./anthropic.ts";
import {
  callFor,
  chatInput,
  completeFixture,
  describeAdapterContract,
  finishesOf,
  LONG_SYSTEM,
  type SentRequest,
  STAND_IN_ORIGIN,
  STAND_IN_TARGETS,
  standInFetch,
  streamFixture,
  textOf,
  usageOf,
} from "./test-support.ts";

const target = STAND_IN_TARGETS.anthropic;

describeAdapterContract(target);

function sse(events: Record<string, unknown>[]): string {
  return events.map((event) => `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`).join("");
}

describe("Anthropic request", () => {
  it("sends x-api-key and anthropic-version, joins system messages, merges same-role turns, defaults max_tokens", async () => {
    const sent: SentRequest[] = [];
    const input = chatInput("", {
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "First." },
        { role: "system", content: "Use metric units." },
        { role: "user", content: "Second." },
        { role: "assistant", content: "Noted." },
        { role: "user", content: "Third." },
      ],
      temperature: 0.5,
      stop: ["END"],
      extra: { seed: 1 },
    });
    const completion = await anthropicAdapter.complete(callFor(target, { fetch: standInFetch(sent) }), input);
    expect(completion).toMatchObject({ ok: true, text: "Stand-in reply to: Third." });
    const [request] = sent;
    expect(request?.url).toBe(`${STAND_IN_ORIGIN}/anthropic/v1/messages`);
    expect(request?.headers.get("x-api-key")).toBe("sk-ant-stand-in-test");
    expect(request?.headers.get("anthropic-version")).toBe("2023-06-01");
    expect(request?.headers.get("authorization")).toBeNull();
    expect(request?.body).toEqual({
      model: "claude-3-5-haiku-latest",
      max_tokens: 4096,
      system: "Be brief.\n\nUse metric units.",
      messages: [
        { role: "user", content: "First.\n\nSecond." },
        { role: "assistant", content: "Noted." },
        { role: "user", content: "Third." },
      ],
      temperature: 0.5,
      stop_sequences: ["END"],
    });
  });

  it("reports a stop sequence as stop", async () => {
    const input = chatInput("stop here please", { stop: ["here"] });
    const completion = await anthropicAdapter.complete(callFor(target), input);
    expect(completion).toMatchObject({ ok: true, text: "Stand-in reply to: stop ", finishReason: "stop" });
  });
});

describe("Anthropic answers", () => {
  const usage = {
    input_tokens: 40,
    cache_read_input_tokens: 256,
    cache_creation_input_tokens: 100,
    output_tokens: 9,
  };

  it("counts cache reads and writes into input tokens, reads as cached", async () => {
    const body = JSON.stringify({
      type: "message",
      model: "claude-sonnet-4-5-20250929",
      content: [
        { type: "text", text: "Hello" },
        { type: "tool_use", id: "t", name: "lookup", input: {} },
        { type: "text", text: " world" },
      ],
      stop_reason: "tool_use",
      usage,
    });
    const completion = await completeFixture(target, body);
    expect(completion).toEqual({
      ok: true,
      text: "Hello world",
      finishReason: "tool_calls",
      usage: { inputTokens: 396, cachedTokens: 256, outputTokens: 9 },
      providerModel: "claude-sonnet-4-5-20250929",
    });
  });

  it("maps every stop reason", async () => {
    const expected = {
      end_turn: "stop",
      stop_sequence: "stop",
      max_tokens: "length",
      refusal: "content_filter",
      tool_use: "tool_calls",
      pause_turn: "stop",
    };
    for (const [stopReason, reason] of Object.entries(expected)) {
      const body = JSON.stringify({ content: [], stop_reason: stopReason, usage });
      expect(await completeFixture(target, body)).toMatchObject({ finishReason: reason });
    }
  });

  it("streams the same usage as the JSON answer, cache writes and reads included", async () => {
    const events = sse([
      {
        type: "message_start",
        message: { model: "claude-sonnet-4-5", usage: { ...usage, output_tokens: 1 } },
      },
      { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } },
      { type: "ping" },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hello" } },
      { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: "{" } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: " world" } },
      { type: "content_block_stop", index: 0 },
      {
        type: "message_delta",
        delta: { stop_reason: "refusal", stop_sequence: null },
        usage: { output_tokens: 9 },
      },
      { type: "message_stop" },
    ]);
    const all = await streamFixture(target, events);
    expect(textOf(all)).toBe("Hello world");
    expect(finishesOf(all)).toEqual(["content_filter"]);
    expect(usageOf(all)).toEqual([{ inputTokens: 396, cachedTokens: 256, outputTokens: 9 }]);
  });

  it("ends at a mid-stream overloaded error without usage", async () => {
    const events = sse([
      { type: "message_start", message: { usage: { ...usage, output_tokens: 1 } } },
      { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: "Hel" } },
      { type: "error", error: { type: "overloaded_error", message: "Overloaded" } },
    ]);
    const all = await streamFixture(target, events);
    expect(all).toEqual([{ type: "text", text: "Hel" }]);
  });

  it("classifies 529 overloaded as retryable", async () => {
    const body = JSON.stringify({
      type: "error",
      error: { type: "overloaded_error", message: "Overloaded" },
    });
    const result = await completeFixture(target, body, 529);
    expect(result).toEqual({
      ok: false,
      status: 529,
      retryable: true,
      message: "Anthropic answered 529: Overloaded",
    });
  });

  it("keeps cached tokens on a long prompt against the stand-in", async () => {
    const input = chatInput("", {
      messages: [
        { role: "system", content: LONG_SYSTEM },
        { role: "user", content: "Hi" },
      ],
    });
    const completion = await anthropicAdapter.complete(callFor(target), input);
    if (!completion.ok) throw new Error(completion.message);
    const cached = completion.usage?.cachedTokens ?? 0;
    expect(cached).toBeGreaterThan(0);
    expect(completion.usage?.inputTokens).toBeGreaterThan(cached);
  });
});
