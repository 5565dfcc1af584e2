// The Anthropic stand-in by raw fetch: headers, the Message shape, the exact streaming event
// sequence and Anthropic's error bodies, as api.anthropic.com sends them.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { expectedPromptTokens, LONG_PROMPT, parseSse, SYSTEM_PROMPT, useStandIns } from "./test-support.ts";

const { origin } = useStandIns();
const HEADERS = {
  "x-api-key": "sk-ant-stand-in-test",
  "anthropic-version": "2023-06-01",
  "content-type": "application/json",
};

function post(body: Record<string, unknown>, headers: Record<string, string> = HEADERS): Promise<Response> {
  return fetch(`${origin()}/anthropic/v1/messages`, { method: "POST", headers, body: JSON.stringify(body) });
}

const request = (overrides: Record<string, unknown> = {}) => ({
  model: "claude-sonnet-4-5",
  max_tokens: 1024,
  system: SYSTEM_PROMPT,
  messages: [{ role: "user", content: [{ type: "text", text: LONG_PROMPT }] }],
  ...overrides,
});

async function events(body: Record<string, unknown>) {
  const response = await post({ ...body, stream: true });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  return parseSse(await response.text()).map(({ event, data }) => {
    const parsed = JSON.parse(data) as { type: string } & Record<string, unknown>;
    // Each SSE event's name is repeated as `type` in its data.
    expect(parsed.type).toBe(event);
    return parsed;
  });
}

interface Message {
  id: string;
  content: { type: string; text: string }[];
  stop_reason: string;
  usage: { input_tokens: number; cache_read_input_tokens: number; output_tokens: number };
}

const message = async (response: Response) => (await response.json()) as Message;

async function errorOf(response: Response) {
  return (await response.json()) as { type: string; error: { type: string; message: string } };
}

describe("Anthropic stand-in", () => {
  it("answers a Message with the reply and usage that counts cache reads apart", async () => {
    const response = await post(request());
    expect(response.status).toBe(200);
    expect(response.headers.get("request-id")).toMatch(/^req_/);
    const body = await message(response);
    const reply = `Stand-in reply to: ${LONG_PROMPT.slice(0, 200)}`;
    const promptTokens = expectedPromptTokens([SYSTEM_PROMPT, LONG_PROMPT]);
    const cached = Math.floor(promptTokens / 64) * 32;
    expect(cached).toBeGreaterThan(0);
    expect(body).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5-20250929",
      content: [{ type: "text", text: reply }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: {
        input_tokens: promptTokens - cached,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: cached,
        output_tokens: countTokens(reply),
      },
    });
    expect(body.id).toMatch(/^msg_/);
  });

  it("streams message_start … message_delta(usage) … message_stop with the non-stream counts", async () => {
    const plain = await message(await post(request({ model: "claude-3-5-haiku-latest" })));
    const streamed = await events(request({ model: "claude-3-5-haiku-latest" }));
    const deltas = streamed.filter((event) => event.type === "content_block_delta");
    expect(deltas.length).toBeGreaterThan(1);
    expect(streamed.map((event) => event.type)).toEqual([
      "message_start",
      "content_block_start",
      "ping",
      ...deltas.map(() => "content_block_delta"),
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const [start, blockStart] = streamed;
    expect(start).toMatchObject({
      message: {
        id: expect.stringMatching(/^msg_/),
        type: "message",
        role: "assistant",
        content: [],
        model: "claude-3-5-haiku-20241022",
        stop_reason: null,
        usage: {
          input_tokens: plain.usage.input_tokens,
          cache_read_input_tokens: plain.usage.cache_read_input_tokens,
          output_tokens: 1,
        },
      },
    });
    expect(blockStart).toEqual({
      type: "content_block_start",
      index: 0,
      content_block: { type: "text", text: "" },
    });
    const text = deltas
      .map((event) => {
        expect(event).toMatchObject({ index: 0, delta: { type: "text_delta" } });
        return (event.delta as { text: string }).text;
      })
      .join("");
    expect(text).toBe(plain.content[0]?.text);
    expect(streamed.at(-2)).toEqual({
      type: "message_delta",
      delta: { stop_reason: "end_turn", stop_sequence: null },
      usage: { output_tokens: plain.usage.output_tokens },
    });
  });

  it("truncates to max_tokens with stop_reason max_tokens, streamed or not", async () => {
    const limited = await message(await post(request({ max_tokens: 5 })));
    expect(limited.stop_reason).toBe("max_tokens");
    expect(limited.usage.output_tokens).toBe(5);
    expect(countTokens(limited.content[0]?.text ?? "")).toBe(5);
    const streamed = await events(request({ max_tokens: 5 }));
    expect(streamed.find((event) => event.type === "message_delta")).toMatchObject({
      delta: { stop_reason: "max_tokens" },
      usage: { output_tokens: 5 },
    });
  });

  it("stops at a stop sequence with stop_reason stop_sequence", async () => {
    const stopped = await message(await post(request({ stop_sequences: ["inventory"] })));
    expect(stopped).toMatchObject({
      content: [{ text: "Stand-in reply to: Line 1: the quarterly " }],
      stop_reason: "stop_sequence",
      stop_sequence: "inventory",
    });
  });

  it("requires anthropic-version, a known x-api-key and max_tokens, in Anthropic's error body", async () => {
    const { "anthropic-version": _version, ...noVersion } = HEADERS;
    const missingVersion = await post(request(), noVersion);
    expect(missingVersion.status).toBe(400);
    expect(await errorOf(missingVersion)).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error", message: "anthropic-version: header is required" },
    });
    const wrongKey = await post(request(), { ...HEADERS, "x-api-key": "sk-ant-api03-real-looking" });
    expect(wrongKey.status).toBe(401);
    expect(await errorOf(wrongKey)).toMatchObject({
      type: "error",
      error: { type: "authentication_error", message: "invalid x-api-key" },
    });
    // An OpenAI-style bearer token is not Anthropic's header.
    const { "x-api-key": _key, ...noKey } = HEADERS;
    const bearer = await post(request(), { ...noKey, authorization: "Bearer sk-ant-stand-in-test" });
    expect(bearer.status).toBe(401);
    const { max_tokens: _max, ...noMax } = request();
    const missingMax = await post(noMax);
    expect(missingMax.status).toBe(400);
    expect((await errorOf(missingMax)).error).toEqual({
      type: "invalid_request_error",
      message: "max_tokens: Field required",
    });
    const systemRole = await post(request({ messages: [{ role: "system", content: "x" }] }));
    expect(systemRole.status).toBe(400);
  });

  it("answers not_found_error for a model it does not serve", async () => {
    const response = await post(request({ model: "claude-opus-4" }));
    expect(response.status).toBe(404);
    expect((await errorOf(response)).error).toEqual({
      type: "not_found_error",
      message: "model: claude-opus-4",
    });
  });

  it("fails on purpose for the scenario models: 429 with retry-after, 500, 400", async () => {
    const limited = await post(request({ model: "stand-in-429", stream: true }));
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect((await errorOf(limited)).error.type).toBe("rate_limit_error");
    const broken = await post(request({ model: "stand-in-500" }));
    expect(broken.status).toBe(500);
    expect((await errorOf(broken)).error).toEqual({ type: "api_error", message: "Internal server error" });
    const invalid = await post(request({ model: "stand-in-400" }));
    expect(invalid.status).toBe(400);
    expect((await errorOf(invalid)).error.type).toBe("invalid_request_error");
  });

  it("cuts a stand-in-cut stream after some deltas: no message_delta, no message_stop", async () => {
    const full = await message(await post(request({ model: "stand-in-cut" })));
    const fullText = full.content[0]?.text ?? "";
    expect(full.stop_reason).toBe("end_turn");
    const streamed = await events(request({ model: "stand-in-cut" }));
    expect(streamed[0]?.type).toBe("message_start");
    expect(streamed.at(-1)?.type).toBe("content_block_delta");
    expect(streamed.some((event) => event.type === "message_delta" || event.type === "message_stop")).toBe(
      false,
    );
    const text = streamed
      .filter((event) => event.type === "content_block_delta")
      .map((event) => (event.delta as { text: string }).text)
      .join("");
    expect(fullText.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThan(fullText.length);
  });
});
