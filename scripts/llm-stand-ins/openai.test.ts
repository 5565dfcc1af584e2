// The OpenAI stand-in through the real `openai` SDK, over HTTP: what the SDK parses is what the
// gateway's adapter and its users will see.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import OpenAI from "openai";
import type { ChatCompletionChunk, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import { describe, expect, it } from "vitest";
import { expectedPromptTokens, LONG_PROMPT, SYSTEM_PROMPT, useStandIns } from "./test-support.ts";

const { origin } = useStandIns();
// No SDK retries: a scenario error must surface at once, as the gateway sees it.
const client = (apiKey = "sk-stand-in-test") =>
  new OpenAI({ apiKey, baseURL: `${origin()}/openai/v1`, maxRetries: 0 });

const messages: ChatCompletionMessageParam[] = [
  { role: "system", content: SYSTEM_PROMPT },
  { role: "user", content: LONG_PROMPT },
];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** The chunks of a streamed completion asking for usage. */
async function streamWithUsage(
  request: Omit<OpenAI.ChatCompletionCreateParamsStreaming, "stream" | "stream_options">,
): Promise<ChatCompletionChunk[]> {
  return collect(
    await client().chat.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    }),
  );
}

const text = (chunks: ChatCompletionChunk[]) =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");

describe("OpenAI stand-in", () => {
  it("answers a completion with the deterministic reply and exact usage, cached tokens included", async () => {
    const completion = await client().chat.completions.create({ model: "gpt-4o-mini", messages });
    const reply = `Stand-in reply to: ${LONG_PROMPT.slice(0, 200)}`;
    const promptTokens = expectedPromptTokens([SYSTEM_PROMPT, LONG_PROMPT]);
    expect(promptTokens).toBeGreaterThanOrEqual(128);
    expect(completion.object).toBe("chat.completion");
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe("gpt-4o-mini-2024-07-18");
    expect(completion.choices).toHaveLength(1);
    expect(completion.choices[0]?.message).toMatchObject({ role: "assistant", content: reply });
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage).toMatchObject({
      prompt_tokens: promptTokens,
      completion_tokens: countTokens(reply),
      total_tokens: promptTokens + countTokens(reply),
      prompt_tokens_details: { cached_tokens: Math.floor(promptTokens / 64) * 32 },
    });
  });

  it("streams the same text and, with include_usage, a final chunk with the same usage", async () => {
    const plain = await client().chat.completions.create({ model: "gpt-4.1", messages });
    const chunks = await streamWithUsage({ model: "gpt-4.1", messages });
    expect(chunks.length).toBeGreaterThan(4);
    expect(chunks.every((chunk) => chunk.object === "chat.completion.chunk")).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(text(chunks)).toBe(plain.choices[0]?.message.content);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(plain.usage);
    expect(last?.usage?.prompt_tokens_details?.cached_tokens).toBeGreaterThan(0);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("stop");
    // Every chunk before the last says `usage: null`, as the API does with include_usage.
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it("sends no usage in a stream unless include_usage asks for it", async () => {
    const chunks = await collect(
      await client().chat.completions.create({ model: "gpt-4o-mini", messages, stream: true }),
    );
    expect(chunks.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("stop");
  });

  it("truncates to max_tokens (or max_completion_tokens) with finish_reason length", async () => {
    const limited = await client().chat.completions.create({ model: "gpt-4o-mini", messages, max_tokens: 7 });
    expect(limited.choices[0]?.finish_reason).toBe("length");
    expect(limited.usage?.completion_tokens).toBe(7);
    expect(countTokens(limited.choices[0]?.message.content ?? "")).toBe(7);
    const chunks = await streamWithUsage({ model: "gpt-4o-mini", messages, max_completion_tokens: 7 });
    expect(text(chunks)).toBe(limited.choices[0]?.message.content);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("length");
    expect(chunks.at(-1)?.usage).toEqual(limited.usage);
  });

  it("reports no cached tokens for a short prompt", async () => {
    const completion = await client().chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: [{ type: "text", text: "Hi" }] }],
    });
    expect(completion.choices[0]?.message.content).toBe("Stand-in reply to: Hi");
    expect(completion.usage?.prompt_tokens).toBe(expectedPromptTokens(["Hi"]));
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it("lists its fixed models", async () => {
    const models = [];
    for await (const model of client().models.list()) models.push(model);
    expect(models.map((model) => model.id)).toEqual(["gpt-4o-mini", "gpt-4.1"]);
    expect(models[0]).toMatchObject({ object: "model", owned_by: "system" });
    expect((await client().models.retrieve("gpt-4.1")).id).toBe("gpt-4.1");
  });

  it("answers 401 invalid_api_key to a key it does not know, without echoing the key", async () => {
    const error = await client("sk-live-secret-1234")
      .chat.completions.create({ model: "gpt-4o-mini", messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "invalid_api_key", type: "invalid_request_error" });
    expect(String((error as Error).message)).not.toContain("secret");
  });

  it("answers 404 model_not_found to a model it does not serve", async () => {
    const error = await client()
      .chat.completions.create({ model: "gpt-5", messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "model_not_found" });
  });

  it("fails on purpose for the scenario models: 429 with retry-after, 500, 400", async () => {
    const fail = (model: string, stream: boolean) =>
      client()
        .chat.completions.create({ model, messages, stream })
        .catch((caught: unknown) => caught);
    const limited = await fail("stand-in-429", true);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited).toMatchObject({ status: 429, code: "rate_limit_exceeded" });
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers.get("retry-after")).toBe("1");
    expect(await fail("stand-in-500", false)).toBeInstanceOf(OpenAI.InternalServerError);
    const invalid = await fail("stand-in-400", false);
    expect(invalid).toBeInstanceOf(OpenAI.BadRequestError);
    expect(invalid).toMatchObject({ status: 400, type: "invalid_request_error", param: "messages" });
  });

  it("cuts a stand-in-cut stream after some content: no finish reason, no usage, no [DONE]", async () => {
    const full = await client().chat.completions.create({ model: "stand-in-cut", messages });
    expect(full.choices[0]?.finish_reason).toBe("stop");
    const chunks = await streamWithUsage({ model: "stand-in-cut", messages });
    const streamed = text(chunks);
    expect(streamed.length).toBeGreaterThan(0);
    expect(full.choices[0]?.message.content?.startsWith(streamed)).toBe(true);
    expect(streamed.length).toBeLessThan(full.choices[0]?.message.content?.length ?? 0);
    expect(chunks.some((chunk) => chunk.usage)).toBe(false);
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason)).toBe(false);
    const raw = await fetch(`${origin()}/openai/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-stand-in-test", "content-type": "application/json" },
      body: JSON.stringify({ model: "stand-in-cut", messages, stream: true }),
    });
    expect(await raw.text()).not.toContain("[DONE]");
  });

  it("keeps stand-in-slow waiting past a client timeout", async () => {
    const started = Date.now();
    const error = await new OpenAI({
      apiKey: "sk-stand-in-test",
      baseURL: `${origin()}/openai/v1`,
      maxRetries: 0,
      timeout: 300,
    }).chat.completions
      .create({ model: "stand-in-slow", messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("ends the SSE body with data: [DONE] in the wire format", async () => {
    const response = await fetch(`${origin()}/openai/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-stand-in-test", "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages, stream: true }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const body = await response.text();
    expect(body.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(
      body
        .split("\n\n")
        .slice(0, -1)
        .every((frame) => frame.startsWith("data: ")),
    ).toBe(true);
  });
});
