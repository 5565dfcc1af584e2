// The workers tests' outbound wiring (vitest.config.ts): a fetch from inside workerd to the LLM
// base URLs reaches the stand-ins in Node, streaming included, with the platform keys bound.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("LLM stand-ins as workerd's outbound service", () => {
  it("binds the stand-in base URLs and platform keys", () => {
    expect(env.LLM_OPENAI_BASE_URL).toBe("http://llm-stand-in.test/openai/v1");
    expect(env.LLM_ANTHROPIC_BASE_URL).toBe("http://llm-stand-in.test/anthropic");
    expect(env.LLM_GEMINI_BASE_URL).toBe("http://llm-stand-in.test/gemini");
  });

  it("answers a chat completion from inside workerd", async () => {
    const response = await fetch(`${env.LLM_OPENAI_BASE_URL}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-stand-in-platform", "content-type": "application/json" },
      body: JSON.stringify({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Ping from workerd" }],
      }),
    });
    expect(response.status).toBe(200);
    const completion = (await response.json()) as {
      object: string;
      choices: { message: { content: string } }[];
      usage: { prompt_tokens: number };
    };
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices[0]?.message.content).toBe("Stand-in reply to: Ping from workerd");
    expect(completion.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it("streams Anthropic's events to workerd and rejects a wrong key", async () => {
    const call = (apiKey: string) =>
      fetch(`${env.LLM_ANTHROPIC_BASE_URL}/v1/messages`, {
        method: "POST",
        headers: {
          "x-api-key": apiKey,
          "anthropic-version": "2023-06-01",
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model: "claude-3-5-haiku-latest",
          max_tokens: 64,
          stream: true,
          messages: [{ role: "user", content: "Ping" }],
        }),
      });
    const streamed = await call("sk-ant-stand-in-platform");
    expect(streamed.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const body = await streamed.text();
    expect(body.startsWith("event: message_start\n")).toBe(true);
    expect(body.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
    expect((await call("sk-ant-someone-else")).status).toBe(401);
  });
});
