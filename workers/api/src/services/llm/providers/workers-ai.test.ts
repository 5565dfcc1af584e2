import { describe, expect, it } from "vitest";
import { callFor, chatInput, collect, finishesOf, textOf, usageOf } from "./test-support.ts";
import type { ProviderCall } from "./types.ts";
import { workersAiAdapter } from "./workers-ai.ts";

interface Run {
  model: string;
  inputs: Record<string, unknown>;
  options: { signal?: AbortSignal };
}

/** The binding's documented answers: `{response, usage}` JSON, or an SSE ReadableStream with `stream: true`. */
function fakeAi(answer: (run: Run) => Promise<unknown>, runs: Run[] = []): Ai {
  return {
    run: (model: string, inputs: Record<string, unknown>, options: { signal?: AbortSignal }) => {
      runs.push({ model, inputs, options });
      return answer({ model, inputs, options });
    },
  } as unknown as Ai;
}

function sseBody(lines: string[], split = 7): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(lines.map((line) => `${line}\n\n`).join(""));
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + split));
      offset += split;
    },
  });
}

const usage = { prompt_tokens: 21, completion_tokens: 6, total_tokens: 27 };
const target = {
  name: "Workers AI",
  adapter: workersAiAdapter,
  baseUrl: "",
  apiKey: "",
  model: "@cf/meta/llama-3.1-8b-instruct",
};

function call(ai: Ai | undefined, more: Partial<ProviderCall> = {}): ProviderCall {
  return callFor(target, { ai, ...more });
}

describe("Workers AI adapter", () => {
  it("answers a retryable 503 without a binding, so the fallback moves on", async () => {
    for (const mode of ["complete", "stream"] as const) {
      const result = await workersAiAdapter[mode](call(undefined), chatInput("hi"));
      expect(result).toEqual({
        ok: false,
        status: 503,
        retryable: true,
        message: "The Workers AI binding (AI) is not configured in this environment",
      });
    }
  });

  it("gives the same text and usage with and without streaming", async () => {
    const runs: Run[] = [];
    const ai = fakeAi(async ({ inputs }) => {
      if (inputs.stream !== true) return { response: "Hello wörld", usage };
      return sseBody([
        'data: {"response":"Hel","p":"abc"}',
        'data: {"response":"lo wö","p":"abcd"}',
        'data: {"response":"rld"}',
        `data: {"response":"","usage":${JSON.stringify(usage)}}`,
        "data: [DONE]",
      ]);
    }, runs);
    const input = chatInput("hi", {
      maxTokens: 100,
      temperature: 0.3,
      topP: 0.8,
      stop: ["x"],
      extra: { seed: 1 },
    });
    const completion = await workersAiAdapter.complete(call(ai), input);
    expect(completion).toEqual({
      ok: true,
      text: "Hello wörld",
      finishReason: "stop",
      usage: { inputTokens: 21, cachedTokens: 0, outputTokens: 6 },
      providerModel: "@cf/meta/llama-3.1-8b-instruct",
    });
    const streamed = await workersAiAdapter.stream(call(ai), input);
    if (!streamed.ok) throw new Error(streamed.message);
    const events = await collect(streamed.events);
    expect(textOf(events)).toBe("Hello wörld");
    expect(finishesOf(events)).toEqual(["stop"]);
    expect(usageOf(events)).toEqual([completion.ok ? completion.usage : null]);
    expect(runs.map((run) => run.inputs)).toEqual([
      { messages: [{ role: "user", content: "hi" }], max_tokens: 100, temperature: 0.3, top_p: 0.8 },
      {
        messages: [{ role: "user", content: "hi" }],
        max_tokens: 100,
        temperature: 0.3,
        top_p: 0.8,
        stream: true,
      },
    ]);
    expect(runs[0]?.model).toBe("@cf/meta/llama-3.1-8b-instruct");
    expect(runs[0]?.options.signal).toBeInstanceOf(AbortSignal);
  });

  it("reads the OpenAI-shaped answers of newer models, cached tokens included", async () => {
    const openAiUsage = {
      prompt_tokens: 300,
      completion_tokens: 4,
      prompt_tokens_details: { cached_tokens: 128 },
    };
    const ai = fakeAi(async ({ inputs }) => {
      if (inputs.stream !== true) {
        return {
          model: "@cf/openai/gpt-oss-20b",
          choices: [{ message: { content: "Done." }, finish_reason: "length" }],
          usage: openAiUsage,
        };
      }
      return sseBody([
        'data: {"choices":[{"delta":{"content":"Done"}}]}',
        'data: {"choices":[{"delta":{"content":"."},"finish_reason":"length"}]}',
        `data: {"choices":[],"usage":${JSON.stringify(openAiUsage)}}`,
        "data: [DONE]",
      ]);
    });
    const completion = await workersAiAdapter.complete(call(ai), chatInput("hi"));
    expect(completion).toEqual({
      ok: true,
      text: "Done.",
      finishReason: "length",
      usage: { inputTokens: 300, cachedTokens: 128, outputTokens: 4 },
      providerModel: "@cf/openai/gpt-oss-20b",
    });
    const streamed = await workersAiAdapter.stream(call(ai), chatInput("hi"));
    if (!streamed.ok) throw new Error(streamed.message);
    const events = await collect(streamed.events);
    expect(textOf(events)).toBe("Done.");
    expect(finishesOf(events)).toEqual(["length"]);
    expect(usageOf(events)).toEqual([{ inputTokens: 300, cachedTokens: 128, outputTokens: 4 }]);
  });

  it("infers length when the legacy answer used up max_tokens", async () => {
    const ai = fakeAi(async () => ({ response: "abc", usage: { prompt_tokens: 5, completion_tokens: 6 } }));
    expect(await workersAiAdapter.complete(call(ai), chatInput("hi", { maxTokens: 6 }))).toMatchObject({
      finishReason: "length",
    });
    expect(await workersAiAdapter.complete(call(ai), chatInput("hi"))).toMatchObject({
      finishReason: "stop",
    });
  });

  it("answers usage null when the model sent none, and a cut stream has no finish or usage", async () => {
    const ai = fakeAi(async ({ inputs }) =>
      inputs.stream === true
        ? sseBody(['data: {"response":"Hel"}', 'data: {"response":"lo"}'])
        : { response: "Hello" },
    );
    expect(await workersAiAdapter.complete(call(ai), chatInput("hi"))).toMatchObject({
      ok: true,
      usage: null,
    });
    const streamed = await workersAiAdapter.stream(call(ai), chatInput("hi"));
    if (!streamed.ok) throw new Error(streamed.message);
    expect(await collect(streamed.events)).toEqual([
      { type: "text", text: "Hel" },
      { type: "text", text: "lo" },
    ]);
  });

  it("classifies the binding's errors by their Workers AI code", async () => {
    const cases = [
      ["3040: Capacity temporarily exceeded, please try again.", 429, true],
      ["5007: No such model @cf/nope or task", 400, false],
      ["3043: Internal server error", 502, true],
      ["network connection lost", 502, true],
    ] as const;
    for (const [message, status, retryable] of cases) {
      const ai = fakeAi(async () => {
        throw new Error(message);
      });
      for (const mode of ["complete", "stream"] as const) {
        const result = await workersAiAdapter[mode](call(ai), chatInput("hi"));
        expect(result).toEqual({ ok: false, status, retryable, message: `Workers AI failed: ${message}` });
      }
    }
  });

  it("reports the gateway's timeout as retryable", async () => {
    const ai = fakeAi(
      ({ options }) =>
        new Promise((_, reject) =>
          options.signal?.addEventListener("abort", () => reject(new Error("aborted")), { once: true }),
        ),
    );
    const result = await workersAiAdapter.complete(
      call(ai, { signal: AbortSignal.timeout(50) }),
      chatInput("hi"),
    );
    expect(result).toMatchObject({ ok: false, status: 504, retryable: true });
  });
});
