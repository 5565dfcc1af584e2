// The Gemini stand-in by raw fetch: generateContent, streamGenerateContent (SSE and JSON array),
// the key in header or query, usageMetadata on the last chunk, and Google's error bodies.
import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { expectedPromptTokens, LONG_PROMPT, parseSse, SYSTEM_PROMPT, useStandIns } from "./test-support.ts";

const { origin } = useStandIns();
const KEY = "stand-in-gemini-test";

interface GenerateContentResponse {
  candidates: {
    content: { parts: { text: string }[]; role: string };
    finishReason?: string;
    index: number;
  }[];
  usageMetadata?: {
    promptTokenCount: number;
    candidatesTokenCount: number;
    totalTokenCount: number;
    cachedContentTokenCount?: number;
  };
  modelVersion: string;
  responseId: string;
}

function call(
  model: string,
  method: "generateContent" | "streamGenerateContent",
  body: Record<string, unknown>,
  options: { query?: string; key?: string | null } = {},
): Promise<Response> {
  const key = options.key === undefined ? KEY : options.key;
  return fetch(`${origin()}/gemini/v1beta/models/${model}:${method}${options.query ?? ""}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key === null ? {} : { "x-goog-api-key": key }) },
    body: JSON.stringify(body),
  });
}

const request = (generationConfig: Record<string, unknown> = {}) => ({
  systemInstruction: { parts: [{ text: SYSTEM_PROMPT }] },
  contents: [{ role: "user", parts: [{ text: LONG_PROMPT }] }],
  generationConfig,
});

async function sseChunks(response: Response): Promise<{ raw: string; chunks: GenerateContentResponse[] }> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const raw = await response.text();
  return {
    raw,
    chunks: parseSse(raw).map(({ event, data }) => {
      expect(event).toBeNull();
      return JSON.parse(data) as GenerateContentResponse;
    }),
  };
}

const joined = (chunks: GenerateContentResponse[]) =>
  chunks.map((chunk) => chunk.candidates[0]?.content.parts[0]?.text ?? "").join("");

async function googleError(response: Response) {
  return ((await response.json()) as { error: { code: number; message: string; status: string } }).error;
}

describe("Gemini stand-in", () => {
  it("answers generateContent with the reply and usageMetadata, cached tokens included", async () => {
    const response = await call("gemini-2.0-flash", "generateContent", request());
    expect(response.status).toBe(200);
    const body = (await response.json()) as GenerateContentResponse;
    const reply = `Stand-in reply to: ${LONG_PROMPT.slice(0, 200)}`;
    const promptTokens = expectedPromptTokens([SYSTEM_PROMPT, LONG_PROMPT]);
    expect(body).toMatchObject({
      candidates: [{ content: { parts: [{ text: reply }], role: "model" }, finishReason: "STOP", index: 0 }],
      usageMetadata: {
        promptTokenCount: promptTokens,
        candidatesTokenCount: countTokens(reply),
        totalTokenCount: promptTokens + countTokens(reply),
        cachedContentTokenCount: Math.floor(promptTokens / 64) * 32,
      },
      modelVersion: "gemini-2.0-flash",
    });
  });

  it("leaves cachedContentTokenCount out for a short prompt, and takes the key as ?key=", async () => {
    const response = await call(
      "gemini-2.5-pro",
      "generateContent",
      { contents: [{ parts: [{ text: "Hi" }] }] },
      { query: `?key=${KEY}`, key: null },
    );
    const body = (await response.json()) as GenerateContentResponse;
    expect(body.candidates[0]?.content.parts[0]?.text).toBe("Stand-in reply to: Hi");
    expect(body.usageMetadata?.promptTokenCount).toBe(expectedPromptTokens(["Hi"]));
    expect(body.usageMetadata).not.toHaveProperty("cachedContentTokenCount");
  });

  it("streams SSE chunks (CRLF-framed) with finishReason and usageMetadata on the last only", async () => {
    const plain = (await (
      await call("gemini-2.5-pro", "generateContent", request())
    ).json()) as GenerateContentResponse;
    const { raw, chunks } = await sseChunks(
      await call("gemini-2.5-pro", "streamGenerateContent", request(), { query: "?alt=sse" }),
    );
    expect(raw.startsWith("data: ")).toBe(true);
    expect(raw.endsWith("}\r\n\r\n")).toBe(true);
    expect(chunks.length).toBeGreaterThan(1);
    expect(joined(chunks)).toBe(plain.candidates[0]?.content.parts[0]?.text);
    const last = chunks.at(-1);
    expect(last?.candidates[0]?.finishReason).toBe("STOP");
    expect(last?.usageMetadata).toEqual(plain.usageMetadata);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk).not.toHaveProperty("usageMetadata");
      expect(chunk.candidates[0]).not.toHaveProperty("finishReason");
      expect(chunk.candidates[0]?.content.role).toBe("model");
    }
    expect(new Set(chunks.map((chunk) => chunk.responseId)).size).toBe(1);
  });

  it("streams a JSON array without alt=sse", async () => {
    const response = await call("gemini-2.0-flash", "streamGenerateContent", request());
    expect(response.headers.get("content-type")).toBe("application/json");
    const chunks = (await response.json()) as GenerateContentResponse[];
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.at(-1)?.usageMetadata?.promptTokenCount).toBe(
      expectedPromptTokens([SYSTEM_PROMPT, LONG_PROMPT]),
    );
  });

  it("truncates to maxOutputTokens with finishReason MAX_TOKENS, streamed or not", async () => {
    const plain = (await (
      await call("gemini-2.0-flash", "generateContent", request({ maxOutputTokens: 6 }))
    ).json()) as GenerateContentResponse;
    expect(plain.candidates[0]?.finishReason).toBe("MAX_TOKENS");
    expect(plain.usageMetadata?.candidatesTokenCount).toBe(6);
    const { chunks } = await sseChunks(
      await call("gemini-2.0-flash", "streamGenerateContent", request({ maxOutputTokens: 6 }), {
        query: "?alt=sse",
      }),
    );
    expect(chunks.at(-1)?.candidates[0]?.finishReason).toBe("MAX_TOKENS");
    expect(chunks.at(-1)?.usageMetadata).toEqual(plain.usageMetadata);
    expect(joined(chunks)).toBe(plain.candidates[0]?.content.parts[0]?.text);
  });

  it("answers Google's errors: a wrong key (400 API_KEY_INVALID), no key (403), unknown model (404)", async () => {
    const wrong = await call("gemini-2.0-flash", "generateContent", request(), { key: "AIzaSyReal" });
    expect(wrong.status).toBe(400);
    const wrongBody = (await wrong.json()) as {
      error: { code: number; status: string; details: { reason: string }[] };
    };
    expect(wrongBody.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    expect(wrongBody.error.details[0]?.reason).toBe("API_KEY_INVALID");
    const missing = await call("gemini-2.0-flash", "generateContent", request(), { key: null });
    expect(missing.status).toBe(403);
    expect(await googleError(missing)).toMatchObject({ code: 403, status: "PERMISSION_DENIED" });
    const unknown = await call("gemini-1.0-pro", "generateContent", request());
    expect(unknown.status).toBe(404);
    expect(await googleError(unknown)).toMatchObject({ code: 404, status: "NOT_FOUND" });
    const badRole = await call("gemini-2.0-flash", "generateContent", {
      contents: [{ role: "assistant", parts: [{ text: "x" }] }],
    });
    expect(await googleError(badRole)).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
  });

  it("fails on purpose for the scenario models: 429 with retry-after, 500, 400", async () => {
    const limited = await call("stand-in-429", "streamGenerateContent", request(), { query: "?alt=sse" });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await googleError(limited)).toMatchObject({ code: 429, status: "RESOURCE_EXHAUSTED" });
    const broken = await call("stand-in-500", "generateContent", request());
    expect(broken.status).toBe(500);
    expect(await googleError(broken)).toMatchObject({ code: 500, status: "INTERNAL" });
    const invalid = await call("stand-in-400", "generateContent", request());
    expect(await googleError(invalid)).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
  });

  it("cuts a stand-in-cut stream: some text, no finishReason, no usageMetadata", async () => {
    const plain = (await (
      await call("stand-in-cut", "generateContent", request())
    ).json()) as GenerateContentResponse;
    expect(plain.usageMetadata).toBeDefined();
    const { chunks } = await sseChunks(
      await call("stand-in-cut", "streamGenerateContent", request(), { query: "?alt=sse" }),
    );
    const text = joined(chunks);
    expect(text.length).toBeGreaterThan(0);
    expect(plain.candidates[0]?.content.parts[0]?.text.startsWith(text)).toBe(true);
    expect(text.length).toBeLessThan(plain.candidates[0]?.content.parts[0]?.text.length ?? 0);
    expect(chunks.some((chunk) => chunk.usageMetadata || chunk.candidates[0]?.finishReason)).toBe(false);
  });
});
