import { describe, expect, it } from "vitest";
import { openAiAdapter } from "./openai.ts";
import {
  answeringFetch,
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

const target = STAND_IN_TARGETS.openai;

describeAdapterContract(target);

describe("OpenAI request", () => {
  it("sends the key as Bearer, always asks for stream usage, and forwards extra fields without letting them override", async () => {
    const sent: SentRequest[] = [];
    const input = chatInput("hi", {
      temperature: 0.2,
      topP: 0.9,
      stop: ["\n\n"],
      maxTokens: 50,
      extra: {
        user: "u-1",
        seed: 7,
        model: "gpt-4.1",
        stream: false,
        stream_options: { include_usage: false },
      },
    });
    await streamEvents(openAiAdapter, callFor(target, { fetch: standInFetch(sent) }), input);
    const [request] = sent;
    expect(request?.url).toBe(`${STAND_IN_ORIGIN}/openai/v1/chat/completions`);
    expect(request?.headers.get("authorization")).toBe("Bearer sk-stand-in-test");
    expect(request?.body).toEqual({
      user: "u-1",
      seed: 7,
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      max_tokens: 50,
      temperature: 0.2,
      top_p: 0.9,
      stop: ["\n\n"],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("keeps max_completion_tokens when the caller used it", async () => {
    const sent: SentRequest[] = [];
    const input = chatInput("hi", {
      maxTokens: 3,
      maxTokensField: "max_completion_tokens",
      extra: { max_tokens: 99 },
    });
    const completion = await openAiAdapter.complete(callFor(target, { fetch: standInFetch(sent) }), input);
    expect(completion).toMatchObject({ ok: true, finishReason: "length", usage: { outputTokens: 3 } });
    expect(sent[0]?.body.max_completion_tokens).toBe(3);
    expect(sent[0]?.body).not.toHaveProperty("max_tokens");
    expect(sent[0]?.body).not.toHaveProperty("stream");
  });
});

describe("OpenAI answers", () => {
  it("maps finish reasons and reads cached tokens from a JSON answer", async () => {
    const body = JSON.stringify({
      model: "gpt-4o-mini-2024-07-18",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: null, refusal: "I can't help with that." },
          finish_reason: "content_filter",
        },
      ],
      usage: { prompt_tokens: 300, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 256 } },
    });
    const completion = await completeFixture(target, body);
    expect(completion).toEqual({
      ok: true,
      text: "I can't help with that.",
      finishReason: "content_filter",
      usage: { inputTokens: 300, cachedTokens: 256, outputTokens: 7 },
      providerModel: "gpt-4o-mini-2024-07-18",
    });
  });

  it("maps tool and function calls to tool_calls, and a missing usage to null", async () => {
    for (const reason of ["tool_calls", "function_call"]) {
      const body = JSON.stringify({ choices: [{ message: { content: null }, finish_reason: reason }] });
      const completion = await completeFixture(target, body);
      expect(completion).toMatchObject({
        ok: true,
        text: "",
        finishReason: "tool_calls",
        usage: null,
        providerModel: "gpt-4o-mini",
      });
    }
  });

  it("ends the stream at a mid-stream error, with no usage", async () => {
    const sse = [
      'data: {"choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}',
      'data: {"error":{"message":"The server had an error","type":"server_error"}}',
      'data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}',
      "data: [DONE]",
      "",
    ].join("\n\n");
    const events = await streamFixture(target, sse);
    expect(textOf(events)).toBe("Hel");
    expect(usageOf(events)).toEqual([]);
    expect(finishesOf(events)).toEqual([]);
  });

  it("cuts an echoed (masked) key out of a 401 message", async () => {
    const body = JSON.stringify({
      error: {
        message:
          "Incorrect API key provided: sk-live-***********WXYZ. You can find your API key at https://platform.openai.com/account/api-keys.",
        type: "invalid_request_error",
        code: "invalid_api_key",
      },
    });
    const result = await openAiAdapter.complete(
      callFor(target, { apiKey: "sk-live-0123456789WXYZ", fetch: answeringFetch(body, 401) }),
      chatInput("x"),
    );
    expect(result).toMatchObject({ ok: false, status: 401, retryable: false });
    if (!result.ok) {
      expect(result.message).toContain("OpenAI answered 401: Incorrect API key provided: [redacted]");
      expect(result.message).not.toContain("WXYZ");
    }
  });

  it("treats a 200 that is not JSON as a retryable upstream fault", async () => {
    const result = await openAiAdapter.complete(
      callFor(target, { fetch: answeringFetch("<html>bad gateway</html>") }),
      chatInput("x"),
    );
    expect(result).toMatchObject({ ok: false, status: 502, retryable: true });
  });
});
