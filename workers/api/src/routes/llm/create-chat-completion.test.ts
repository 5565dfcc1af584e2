import type { ChatCompletion, ChatCompletionChunk, LlmCall } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  call,
  callAsOperator,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { addProviderKey, llmBase, putPolicy } from "../../../test/llm.ts";

const CHAT = "/api/llm/v1/chat/completions";

/** A company with an API key allowed to use the gateway, and its policy set to `models`. */
async function gatewayCompany(tag: string, policy: Record<string, unknown> = {}) {
  const company = await registerCompany({ admin_email: `owner@${tag}.example` });
  const companyId = company.company_id;
  const base = llmBase(companyId);
  const created = await callAsOperator(`/api/admin/companies/${companyId}/api-keys`, {
    body: { name: "ERP", permissions: { llm: ["use"] } },
  });
  const { key, api_key } = await json<{ key: string; api_key: { id: string } }>(created);
  if (Object.keys(policy).length > 0) {
    const saved = await putPolicy(companyId, policy);
    expect(saved.status, await saved.clone().text()).toBe(200);
  }
  return { companyId, companyCode: company.company_code, base, key, keyId: api_key.id };
}

const target = (provider: string, model: string, extra: Record<string, unknown> = {}) => ({
  provider,
  model,
  ...extra,
});

function chat(key: string, body: Record<string, unknown>) {
  return call(CHAT, {
    token: key,
    body: { model: "default", messages: [{ role: "user", content: "Hello there" }], ...body },
  });
}

/** The server-sent events of a streamed answer, parsed. */
async function events(
  response: Response,
): Promise<(ChatCompletionChunk | { error: { code: string } } | "[DONE]")[]> {
  const text = await response.text();
  return text
    .split("\n\n")
    .filter((block) => block.startsWith("data: "))
    .map((block) => {
      const data = block.slice("data: ".length);
      return data === "[DONE]" ? "[DONE]" : JSON.parse(data);
    });
}

/** The company's call log rows, once `count` are written (they are written after the answer). */
async function callRows(base: string, count: number): Promise<LlmCall[]> {
  // Up to 10 s: on a loaded machine the write after the answer can take a while.
  for (let attempt = 0; attempt < 200; attempt++) {
    const page = await json<{ calls: LlmCall[] }>(await callAsOperator(`${base}/calls?limit=200`));
    if (page.calls.length >= count) return page.calls;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`fewer than ${count} call rows were written`);
}

describe("POST /api/llm/v1/chat/completions", () => {
  it("answers in OpenAI's format through the platform's default model, with RateLimit headers and a usage row", async () => {
    const { key, base, keyId } = await gatewayCompany("llm-gw-json");
    const response = await chat(key, {});
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get("RateLimit-Policy")).toContain('"llm_rpm";q=600;w=60');
    expect(response.headers.get("RateLimit-Policy")).toContain('"llm_tpm"');
    const completion = await json<ChatCompletion>(response);
    expect(completion).toMatchObject({
      object: "chat.completion",
      model: "default",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Stand-in reply to: Hello there" },
          finish_reason: "stop",
        },
      ],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.usage.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage.total_tokens).toBe(
      completion.usage.prompt_tokens + completion.usage.completion_tokens,
    );

    const [row] = await callRows(base, 1);
    expect(row).toMatchObject({
      model: "default",
      provider: "openai",
      key_source: "platform",
      api_key_id: keyId,
      fallback_step: 0,
      stream: false,
      status: "ok",
      http_status: 200,
      input_tokens: completion.usage.prompt_tokens,
      output_tokens: completion.usage.completion_tokens,
      estimated: false,
      prompt: null,
      output: null,
    });
    // The provider's own name for what answered (a dated snapshot of the alias).
    expect(row?.provider_model).toMatch(/^gpt-4o-mini/);
    expect(row?.cost_usd_micros).toBeGreaterThan(0);
  });

  it("streams chat.completion.chunk events ending in [DONE], with the same usage and cost as the JSON answer", async () => {
    // A long prompt, so the provider reports cached tokens too: they must survive streaming.
    const long = "Please summarise the maintenance history of the press line. ".repeat(30);
    const { key, base } = await gatewayCompany("llm-gw-stream");
    const messages = [{ role: "user", content: long }];
    const plain = await json<ChatCompletion>(await chat(key, { messages }));
    expect(plain.usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0);

    const response = await chat(key, { messages, stream: true, stream_options: { include_usage: true } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const received = await events(response);
    expect(received.at(-1)).toBe("[DONE]");
    const chunks = received.filter((e): e is ChatCompletionChunk => typeof e === "object" && "object" in e);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(chunks.find((chunk) => chunk.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe("stop");
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual(plain.usage);

    const rows = await callRows(base, 2);
    const [streamed, whole] = rows;
    expect(streamed?.stream).toBe(true);
    for (const field of ["input_tokens", "cached_tokens", "output_tokens", "cost_usd_micros"] as const) {
      expect(streamed?.[field], field).toBe(whole?.[field]);
    }
  });

  it("refuses a model the policy does not offer, naming those it does", async () => {
    const { key } = await gatewayCompany("llm-gw-models", {
      models: [
        { name: "default", targets: [target("openai", "gpt-4o-mini")] },
        { name: "smart", targets: [target("anthropic", "claude-sonnet-4-5")] },
      ],
    });
    const refused = await expectError(await chat(key, { model: "gpt-5" }), 404, "MODEL_NOT_FOUND");
    expect(refused.message).toContain("default, smart");
  });

  it("answers through Anthropic and Gemini targets in OpenAI's format, with a company's own key", async () => {
    const { companyId, key, base } = await gatewayCompany("llm-gw-providers");
    const byok = await addProviderKey(companyId, { provider: "gemini", key: "stand-in-gemini-company-9876" });
    await putPolicy(companyId, {
      models: [
        { name: "claude", targets: [target("anthropic", "claude-3-5-haiku-latest")] },
        { name: "gemini", targets: [target("gemini", "gemini-2.0-flash", { key_id: byok.id })] },
      ],
    });
    for (const model of ["claude", "gemini"]) {
      const completion = await json<ChatCompletion>(await chat(key, { model, max_tokens: 3 }));
      expect(completion.model).toBe(model);
      expect(completion.choices[0]?.finish_reason).toBe("length");
      expect(completion.usage.completion_tokens).toBe(3);
    }
    const rows = await callRows(base, 2);
    expect(rows.map((r) => [r.model, r.provider, r.key_source])).toEqual([
      ["gemini", "gemini", "byok"],
      ["claude", "anthropic", "platform"],
    ]);
  });

  it("falls back on a 429, a 5xx and a timeout, recording each step, and never on a 400", async () => {
    const { key, base } = await gatewayCompany("llm-gw-fallback", {
      models: [
        {
          name: "default",
          targets: [
            target("openai", "stand-in-429"),
            target("anthropic", "stand-in-500"),
            target("gemini", "stand-in-slow", { timeout_ms: 300 }),
            target("openai", "gpt-4o-mini"),
          ],
        },
        { name: "strict", targets: [target("openai", "stand-in-400"), target("openai", "gpt-4o-mini")] },
      ],
    });
    const answered = await chat(key, {});
    expect(answered.status, await answered.clone().text()).toBe(200);
    const [fallback] = await callRows(base, 1);
    expect(fallback?.fallback_step).toBe(3);
    expect(fallback?.provider_model).toMatch(/^gpt-4o-mini/);
    expect(fallback?.attempts.map((a) => [a.provider, a.status])).toEqual([
      ["openai", 429],
      ["anthropic", 500],
      ["gemini", 504],
      ["openai", 200],
    ]);

    const refused = await expectError(await chat(key, { model: "strict" }), 400, "UPSTREAM_BAD_REQUEST");
    expect(refused.message.length).toBeGreaterThan(0);
    const rows = await callRows(base, 2);
    expect(rows[0]?.status).toBe("error");
    expect(rows[0]?.attempts.map((a) => a.status)).toEqual([400]);
  });

  it("answers 502 naming each attempt when every target fails, then skips targets whose breaker opened", async () => {
    const { key, base } = await gatewayCompany("llm-gw-breaker", {
      models: [
        { name: "default", targets: [target("openai", "stand-in-500"), target("anthropic", "stand-in-429")] },
      ],
    });
    for (let i = 0; i < 3; i++) {
      const failed = await expectError(await chat(key, {}), 502, "UPSTREAM_UNAVAILABLE");
      expect(failed.details?.attempts).toHaveLength(2);
    }
    // Three failures in a row opened both breakers: no provider is called now.
    await expectError(await chat(key, {}), 503, "SERVICE_UNAVAILABLE");
    const rows = await callRows(base, 4);
    expect(rows[0]?.attempts.map((a) => a.skipped)).toEqual([true, true]);
  });

  it("ends a cut stream with an error event instead of [DONE] and logs the tokens it counted", async () => {
    const { key, base } = await gatewayCompany("llm-gw-cut", {
      models: [{ name: "default", targets: [target("openai", "stand-in-cut")] }],
    });
    const received = await events(await chat(key, { stream: true, stream_options: { include_usage: true } }));
    expect(received).not.toContain("[DONE]");
    const last = received.at(-1);
    expect(typeof last === "object" && "error" in last ? last.error.code : null).toBe("UPSTREAM_UNAVAILABLE");
    const [row] = await callRows(base, 1);
    expect(row).toMatchObject({ status: "cut", estimated: true });
    expect(row?.output_tokens).toBeGreaterThan(0);
    expect(row?.cost_usd_micros).toBeGreaterThan(0);
  });

  it("refuses a spent budget with 429 and the envelope", async () => {
    const { key, base } = await gatewayCompany("llm-gw-budget", {
      models: [{ name: "default", targets: [target("openai", "gpt-4o-mini")] }],
      budget_usd_micros: 100,
    });
    const refused = await expectError(await chat(key, { max_tokens: 1000 }), 429, "LLM_BUDGET_EXCEEDED");
    expect(refused.message).toContain("budget");
    expect(refused.details).toMatchObject({ budget: "company", limit_micro_usd: 100 });
    // A refused call reaches no provider, so it leaves no usage row.
    const page = await json<{ calls: LlmCall[] }>(await callAsOperator(`${base}/calls`));
    expect(page.calls).toEqual([]);
  });

  it("lets installations in only when the company allows it, and API keys only with llm:use", async () => {
    const { companyId, companyCode, key, base } = await gatewayCompany("llm-gw-access");
    const { installation } = await validatedMachine(companyCode, "pc-llm");
    const token = installation?.token as string;
    await expectError(
      await call(CHAT, { token, body: { model: "default", messages: [{ role: "user", content: "hi" }] } }),
      403,
      "FORBIDDEN",
    );
    await putPolicy(companyId, {
      models: [{ name: "default", targets: [target("openai", "gpt-4o-mini")] }],
      allow_installations: true,
    });
    const allowed = await call(CHAT, {
      token,
      body: { model: "default", messages: [{ role: "user", content: "hi" }] },
    });
    expect(allowed.status, await allowed.clone().text()).toBe(200);

    const other = await callAsOperator(`/api/admin/companies/${companyId}/api-keys`, {
      body: { name: "Reader", permissions: { installations: ["read"] } },
    });
    const reader = (await json<{ key: string }>(other)).key;
    await expectError(await chat(reader, {}), 403, "FORBIDDEN");
    await expectError(await chat("nxk_not-a-real-key-at-all-0000000000", {}), 401, "UNAUTHORIZED");
    expect(key).toMatch(/^nxk_/);
    const [row] = await callRows(base, 1);
    expect(row?.installation_id).toBe(installation?.id);
    expect(row?.api_key_id).toBeNull();

    // Deactivated, its still-unexpired token is refused at once.
    const deactivated = await callAsOperator(
      `/api/admin/companies/${companyId}/installations/${installation?.id}/deactivate`,
      { body: {} },
    );
    expect(deactivated.status, await deactivated.clone().text()).toBe(200);
    await expectError(
      await call(CHAT, { token, body: { model: "default", messages: [{ role: "user", content: "hi" }] } }),
      403,
      "INSTALLATION_DEACTIVATED",
    );
  });

  it("refuses tool calling and non-text parts with a 400 that names the field", async () => {
    const { key } = await gatewayCompany("llm-gw-bad-input");
    const tools = await expectError(
      await chat(key, { tools: [{ type: "function", function: { name: "f" } }] }),
      400,
      "VALIDATION_FAILED",
    );
    expect(tools.message).toContain("tools");
    const image = await expectError(
      await chat(key, {
        messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }],
      }),
      400,
      "VALIDATION_FAILED",
    );
    expect(image.message).toContain("messages[0].content[0]");
    await expectError(await chat(key, { messages: [] }), 400, "VALIDATION_FAILED");
    await expectError(await chat(key, { n: 2 }), 400, "VALIDATION_FAILED");
  });

  it("answers a repeated request from the cache when the company turned it on, at no cost", async () => {
    const { key, base } = await gatewayCompany("llm-gw-cache", {
      models: [{ name: "default", targets: [target("openai", "gpt-4o-mini")] }],
      cache_enabled: true,
    });
    const first = await json<ChatCompletion>(await chat(key, {}));
    await callRows(base, 1);
    // The answer is kept after the response; wait until it is there.
    let second: ChatCompletion | undefined;
    for (let i = 0; i < 50 && !second; i++) {
      await chat(key, {});
      const rows = await callRows(base, 2);
      if (rows[0]?.status === "cached") second = first;
    }
    expect(second).toBeDefined();
    const rows = await callRows(base, 2);
    expect(rows[0]).toMatchObject({ status: "cached", cost_usd_micros: 0 });
    const streamed = await events(await chat(key, { stream: true }));
    expect(streamed.at(-1)).toBe("[DONE]");
    const after = await callRows(base, rows.length + 1);
    expect(after[0]).toMatchObject({ status: "cached", stream: true });
  });
});

describe("budgets under load", () => {
  it("lets fifty concurrent calls against a $1 budget overspend by at most one reservation", async () => {
    const { key, base } = await gatewayCompany("llm-gw-race", {
      models: [{ name: "default", targets: [target("openai", "gpt-4.1")] }],
      budget_usd_micros: 1_000_000,
      tokens_per_minute: 100_000_000,
    });
    // About 20k prompt tokens: some $0.04 a call at gpt-4.1's $2 per million, so $1 covers ~24.
    const prompt = "Inspect the hydraulic press and log the pressure readings. ".repeat(1700);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        chat(key, { messages: [{ role: "user", content: prompt }], max_tokens: 20 }),
      ),
    );
    const statuses = answers.map((response) => response.status);
    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeGreaterThan(10);
    expect(admitted).toBeLessThan(50);
    for (const response of answers.filter((r) => r.status !== 200)) {
      await expectError(response, 429, "LLM_BUDGET_EXCEEDED");
    }
    const rows = await callRows(base, admitted);
    const spent = rows.reduce((sum, row) => sum + row.cost_usd_micros, 0);
    const mostExpensive = Math.max(...rows.map((row) => row.cost_usd_micros));
    expect(spent).toBeLessThanOrEqual(1_000_000 + mostExpensive);
    // And the hub's books agree with the usage rows once every call is settled.
    let budget = { spent_usd_micros: -1, reserved_usd_micros: -1 };
    for (let i = 0; i < 50 && budget.reserved_usd_micros !== 0; i++) {
      budget = (await json<{ budget: typeof budget }>(await callAsOperator(`${base}/usage`))).budget;
    }
    expect(budget).toMatchObject({ spent_usd_micros: spent, reserved_usd_micros: 0 });
  });
});
