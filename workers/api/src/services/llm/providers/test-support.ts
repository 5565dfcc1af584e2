// Shared by the adapters' tests: calls routed to the local stand-ins (scripts/llm-stand-ins), and
// the behaviour every HTTP adapter must show against them. Not imported by production code.
import { describe, expect, it } from "vitest";
import { handleLlmStandIn } from "../../../../../../scripts/llm-stand-ins/handler.ts";
import { anthropicAdapter } from "./anthropic.ts";
import { geminiAdapter } from "./gemini.ts";
import { openAiAdapter } from "./openai.ts";
import type { ChatInput, ProviderAdapter, ProviderCall, StreamEvent, TokenUsage } from "./types.ts";

export const STAND_IN_ORIGIN = "http://llm-stand-in.test";

export interface SentRequest {
  url: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * A fetch that hands the request to the stand-in handler, records it, and rejects on abort as a
 * real fetch does (the handler only notices the signal while it sleeps).
 */
export function standInFetch(sent: SentRequest[] = []): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const text = await request.clone().text();
    sent.push({ url: request.url, headers: request.headers, body: text ? JSON.parse(text) : {} });
    const signal = init?.signal;
    if (!signal) return handleLlmStandIn(request);
    signal.throwIfAborted();
    return Promise.race([
      handleLlmStandIn(request),
      new Promise<never>((_, reject) =>
        signal.addEventListener("abort", () => reject(signal.reason), { once: true }),
      ),
    ]);
  }) as typeof fetch;
}

/** A fetch that answers one fixed body, for answers the stand-ins do not produce. */
export function answeringFetch(body: string, status = 200, contentType = "application/json"): typeof fetch {
  return (async () =>
    new Response(body, { status, headers: { "content-type": contentType } })) as typeof fetch;
}

/** Streams a call and collects its events; a failure fails the test with its message. */
export async function streamEvents(
  adapter: ProviderAdapter,
  call: ProviderCall,
  input: ChatInput,
): Promise<StreamEvent[]> {
  const streamed = await adapter.stream(call, input);
  if (!streamed.ok) throw new Error(streamed.message);
  return collect(streamed.events);
}

export async function collect(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const all: StreamEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

export function textOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === "text" ? event.text : "")).join("");
}

export function usageOf(events: StreamEvent[]): TokenUsage[] {
  return events.flatMap((event) => (event.type === "usage" ? [event.usage] : []));
}

export function finishesOf(events: StreamEvent[]): string[] {
  return events.flatMap((event) => (event.type === "finish" ? [event.reason] : []));
}

export function chatInput(user: string, more: Partial<ChatInput> = {}): ChatInput {
  return { messages: [{ role: "user", content: user }], extra: {}, ...more };
}

/** Long enough (>= 128 prompt tokens) for the stand-ins to report cached tokens. */
export const LONG_SYSTEM = `You are a careful assistant for a manufacturing ERP. ${"Answer briefly and cite the order number when there is one. ".repeat(16)}`;

export interface ContractTarget {
  name: string;
  adapter: ProviderAdapter;
  baseUrl: string;
  apiKey: string;
  model: string;
}

/** Each HTTP adapter pointed at its stand-in, with a key and a model the stand-in accepts. */
export const STAND_IN_TARGETS = {
  openai: {
    name: "OpenAI",
    adapter: openAiAdapter,
    baseUrl: `${STAND_IN_ORIGIN}/openai/v1`,
    apiKey: "sk-stand-in-test",
    model: "gpt-4o-mini",
  },
  anthropic: {
    name: "Anthropic",
    adapter: anthropicAdapter,
    baseUrl: `${STAND_IN_ORIGIN}/anthropic`,
    apiKey: "sk-ant-stand-in-test",
    model: "claude-3-5-haiku-latest",
  },
  gemini: {
    name: "Gemini",
    adapter: geminiAdapter,
    baseUrl: `${STAND_IN_ORIGIN}/gemini`,
    apiKey: "stand-in-gemini-test",
    model: "gemini-2.0-flash",
  },
} satisfies Record<string, ContractTarget>;

/** The adapter's reading of a fixed JSON answer (the provider's documented shape). */
export function completeFixture(
  target: ContractTarget,
  body: unknown,
  status = 200,
): ReturnType<ProviderAdapter["complete"]> {
  const fetch = answeringFetch(typeof body === "string" ? body : JSON.stringify(body), status);
  return target.adapter.complete(callFor(target, { fetch }), chatInput("x"));
}

/** The adapter's events for a fixed SSE body. */
export function streamFixture(target: ContractTarget, sse: string): Promise<StreamEvent[]> {
  const fetch = answeringFetch(sse, 200, "text/event-stream");
  return streamEvents(target.adapter, callFor(target, { fetch }), chatInput("x"));
}

export function callFor(target: ContractTarget, more: Partial<ProviderCall> = {}): ProviderCall {
  return {
    model: target.model,
    apiKey: target.apiKey,
    baseUrl: target.baseUrl,
    signal: AbortSignal.timeout(30_000),
    fetch: standInFetch(),
    ...more,
  };
}

/** What every HTTP adapter must do against its stand-in, whatever the wire format. */
export function describeAdapterContract(target: ContractTarget): void {
  const { adapter } = target;

  describe(`${target.name} adapter against its stand-in`, () => {
    it("answers the same text and identical usage, cached tokens included, with and without streaming", async () => {
      const input = chatInput("Which orders ship today?", {
        messages: [
          { role: "system", content: LONG_SYSTEM },
          { role: "user", content: "Which orders ship today?" },
        ],
      });
      const completion = await adapter.complete(callFor(target), input);
      if (!completion.ok) throw new Error(completion.message);
      expect(completion.text).toBe("Stand-in reply to: Which orders ship today?");
      expect(completion.finishReason).toBe("stop");
      const usage = completion.usage;
      expect(usage?.cachedTokens).toBeGreaterThan(0);
      expect(usage?.inputTokens).toBeGreaterThanOrEqual(128);
      expect(usage?.outputTokens).toBeGreaterThan(0);

      const events = await streamEvents(adapter, callFor(target), input);
      expect(events.filter((event) => event.type === "text").length).toBeGreaterThan(1);
      expect(textOf(events)).toBe(completion.text);
      expect(finishesOf(events)).toEqual(["stop"]);
      expect(usageOf(events)).toEqual([usage]);
      // finish and usage come after the text, so the gateway can close the answer with them.
      expect(events.at(-1)?.type).toBe("usage");
    });

    it("reports length when max tokens cut the answer, in both modes", async () => {
      const input = chatInput("Tell me about the gearbox assembly line and its weekly output", {
        maxTokens: 5,
      });
      const completion = await adapter.complete(callFor(target), input);
      if (!completion.ok) throw new Error(completion.message);
      expect(completion.finishReason).toBe("length");
      expect(completion.usage?.outputTokens).toBe(5);
      expect(completion.usage?.cachedTokens).toBe(0);

      const events = await streamEvents(adapter, callFor(target), input);
      expect(finishesOf(events)).toEqual(["length"]);
      expect(textOf(events)).toBe(completion.text);
      expect(usageOf(events)).toEqual([completion.usage]);
    });

    it("ends a cut stream with the text so far and no finish or usage event", async () => {
      const input = chatInput("one two three four five six seven eight nine ten eleven twelve");
      const events = await streamEvents(adapter, callFor(target, { model: "stand-in-cut" }), input);
      const full = "Stand-in reply to: one two three four five six seven eight nine ten eleven twelve";
      expect(textOf(events)).not.toBe("");
      expect(full.startsWith(textOf(events))).toBe(true);
      expect(textOf(events).length).toBeLessThan(full.length);
      expect(events.some((event) => event.type === "usage" || event.type === "finish")).toBe(false);
    });

    for (const [model, status, retryable] of [
      ["stand-in-429", 429, true],
      ["stand-in-500", 500, true],
      ["stand-in-400", 400, false],
    ] as const) {
      it(`classifies ${model} as ${retryable ? "retryable" : "final"} in both modes`, async () => {
        for (const mode of ["complete", "stream"] as const) {
          const result = await adapter[mode](callFor(target, { model }), chatInput("hi"));
          expect(result).toMatchObject({ ok: false, status, retryable });
          if (!result.ok) expect(result.message).toMatch(new RegExp(`^${target.name} answered ${status}`));
        }
      });
    }

    it("rejects a wrong key as final, without the key in the message", async () => {
      const apiKey = "sk-live-0123456789abcdefWXYZ";
      for (const mode of ["complete", "stream"] as const) {
        const result = await adapter[mode](callFor(target, { apiKey }), chatInput("hi"));
        expect(result).toMatchObject({ ok: false, retryable: false });
        if (result.ok) continue;
        expect([400, 401, 403]).toContain(result.status);
        expect(result.message).not.toContain(apiKey);
        expect(result.message).not.toContain("WXYZ");
      }
    });

    it("turns the gateway's timeout into a retryable failure, and the client's cancel into a final one", async () => {
      for (const mode of ["complete", "stream"] as const) {
        const started = Date.now();
        const timedOut = await adapter[mode](
          callFor(target, { model: "stand-in-slow", signal: AbortSignal.timeout(150) }),
          chatInput("hi"),
        );
        expect(timedOut).toMatchObject({ ok: false, status: 504, retryable: true });
        expect(Date.now() - started).toBeLessThan(5_000);

        const client = new AbortController();
        const cancelled = adapter[mode](
          callFor(target, { model: "stand-in-slow", signal: client.signal }),
          chatInput("hi"),
        );
        client.abort();
        expect(await cancelled).toMatchObject({ ok: false, status: 499, retryable: false });
      }
    });

    it("treats an unreachable provider as retryable, without the key in the message", async () => {
      const unreachable = (async () => {
        throw new TypeError(`connect ECONNREFUSED (key ${target.apiKey})`);
      }) as typeof fetch;
      for (const mode of ["complete", "stream"] as const) {
        const result = await adapter[mode](callFor(target, { fetch: unreachable }), chatInput("hi"));
        expect(result).toMatchObject({ ok: false, status: 502, retryable: true });
        if (!result.ok) expect(result.message).not.toContain(target.apiKey);
      }
    });
  });
}
