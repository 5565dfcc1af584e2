// The handler called directly (as miniflare's outbound service calls it): dispatch, and the same
// conversation counting the same tokens at every provider.
import { describe, expect, it } from "vitest";
import { handleLlmStandIn, LLM_STAND_IN_TEST_ORIGIN, llmStandInVars } from "./handler.ts";
import { buildReply, chunkText } from "./scenarios.ts";
import { LONG_PROMPT, SYSTEM_PROMPT } from "./test-support.ts";

const vars = llmStandInVars(LLM_STAND_IN_TEST_ORIGIN);
/** Only the fields these tests read, from each provider's answer. */
interface Answers {
  openai: {
    choices: { message: { content: string } }[];
    usage: {
      prompt_tokens: number;
      completion_tokens: number;
      prompt_tokens_details: { cached_tokens: number };
    };
  };
  anthropic: {
    content: { text: string }[];
    usage: { input_tokens: number; cache_read_input_tokens: number; output_tokens: number };
  };
  gemini: {
    candidates: { content: { parts: { text: string }[] } }[];
    usageMetadata: {
      promptTokenCount: number;
      candidatesTokenCount: number;
      cachedContentTokenCount: number;
    };
  };
}

async function post<T>(url: string, headers: Record<string, string>, body: unknown): Promise<T> {
  const response = await handleLlmStandIn(
    new Request(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

describe("LLM stand-in handler", () => {
  it("counts the same conversation alike at OpenAI, Anthropic and Gemini", async () => {
    const openai = await post<Answers["openai"]>(
      `${vars.LLM_OPENAI_BASE_URL}/chat/completions`,
      { authorization: `Bearer ${vars.LLM_OPENAI_API_KEY}` },
      {
        model: "gpt-4o-mini",
        messages: [
          { role: "system", content: SYSTEM_PROMPT },
          { role: "user", content: LONG_PROMPT },
        ],
        max_tokens: 20,
      },
    );
    const anthropic = await post<Answers["anthropic"]>(
      `${vars.LLM_ANTHROPIC_BASE_URL}/v1/messages`,
      { "x-api-key": vars.LLM_ANTHROPIC_API_KEY ?? "", "anthropic-version": "2023-06-01" },
      {
        model: "claude-sonnet-4-5",
        system: SYSTEM_PROMPT,
        messages: [{ role: "user", content: LONG_PROMPT }],
        max_tokens: 20,
      },
    );
    const gemini = await post<Answers["gemini"]>(
      `${vars.LLM_GEMINI_BASE_URL}/v1beta/models/gemini-2.0-flash:generateContent`,
      { "x-goog-api-key": vars.LLM_GEMINI_API_KEY ?? "" },
      {
        systemInstruction: { parts: [{ text: SYSTEM_PROMPT }] },
        contents: [{ role: "user", parts: [{ text: LONG_PROMPT }] }],
        generationConfig: { maxOutputTokens: 20 },
      },
    );
    const input = openai.usage.prompt_tokens;
    const cached = openai.usage.prompt_tokens_details.cached_tokens;
    expect(cached).toBeGreaterThan(0);
    expect(anthropic.usage.input_tokens + anthropic.usage.cache_read_input_tokens).toBe(input);
    expect(anthropic.usage.cache_read_input_tokens).toBe(cached);
    expect(gemini.usageMetadata.promptTokenCount).toBe(input);
    expect(gemini.usageMetadata.cachedContentTokenCount).toBe(cached);
    expect([anthropic.usage.output_tokens, gemini.usageMetadata.candidatesTokenCount]).toEqual([20, 20]);
    expect(openai.usage.completion_tokens).toBe(20);
    expect(anthropic.content[0]?.text).toBe(openai.choices[0]?.message.content);
    expect(gemini.candidates[0]?.content.parts[0]?.text).toBe(openai.choices[0]?.message.content);
  });

  it("answers 404 outside the three base URLs, and the provider's 404 inside one", async () => {
    const outside = await handleLlmStandIn(new Request(`${LLM_STAND_IN_TEST_ORIGIN}/v1/chat/completions`));
    expect(outside.status).toBe(404);
    const inside = await handleLlmStandIn(
      new Request(`${vars.LLM_OPENAI_BASE_URL}/embeddings`, {
        method: "POST",
        headers: { authorization: `Bearer ${vars.LLM_OPENAI_API_KEY}` },
      }),
    );
    expect(inside.status).toBe(404);
    expect(((await inside.json()) as { error: { message: string } }).error.message).toBe(
      "Invalid URL (POST /v1/embeddings)",
    );
  });

  it("chunks a reply in about four words that join back exactly", () => {
    const text = "  one two three four five six seven eight nine ";
    const chunks = chunkText(text);
    expect(chunks).toEqual(["  one two three four ", "five six seven eight ", "nine "]);
    expect(chunks.join("")).toBe(text);
    expect(chunkText("   ")).toEqual(["   "]);
  });

  it("stops at the earliest stop sequence, whatever their order", () => {
    const reply = buildReply([{ role: "user", text: "alpha beta gamma" }], { stop: ["gamma", "beta"] });
    expect(reply).toMatchObject({
      text: "Stand-in reply to: alpha ",
      finish: "stop_sequence",
      stopSequence: "beta",
    });
  });
});
