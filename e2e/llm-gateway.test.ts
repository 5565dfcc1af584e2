// The LLM gateway as apps use it: the official `openai` SDK, unmodified, pointed at
// `<API origin>/api/llm/v1` with a company API key, against the bundled API on the local runtime,
// whose providers are the stand-ins (scripts/llm-stand-ins/) speaking OpenAI's and Anthropic's
// real wire formats. Stream and non-stream answers must agree, usage included.
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalSystem, startLocalSystem } from "./local-system.ts";

let system: LocalSystem;
let client: OpenAI;
let companyId: string;
let apiKey: string;

const admin = (path: string, method: string, body?: unknown) => system.asOperator(path, body, method);

beforeAll(async () => {
  system = await startLocalSystem({ llmStandIns: true, captureLogs: true });
  const company = await system.registerCompany();
  companyId = company.company_id;
  const created = (await admin(`/api/admin/companies/${companyId}/api-keys`, "POST", {
    name: "SDK",
    permissions: { llm: ["use"] },
  })) as { key: string };
  await admin(`/api/admin/companies/${companyId}/llm/policy`, "PUT", {
    models: [
      { name: "default", targets: [{ provider: "openai", model: "gpt-4o-mini" }] },
      { name: "claude", targets: [{ provider: "anthropic", model: "claude-3-5-haiku-latest" }] },
      { name: "budgeted", targets: [{ provider: "openai", model: "gpt-4.1" }] },
    ],
    api_key_budgets: [],
  });
  apiKey = created.key;
  // No retries: a test must see the gateway's first answer, not the SDK's third try.
  client = new OpenAI({
    apiKey: created.key,
    baseURL: new URL("/api/llm/v1", system.url).href,
    maxRetries: 0,
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
});

const messages = [
  { role: "system" as const, content: "You are terse." },
  { role: "user" as const, content: "Which press needs maintenance first? ".repeat(20) },
];

describe("the official openai SDK against the gateway", () => {
  for (const model of ["default", "claude"]) {
    it(`completes and streams through ${model} with identical usage`, { timeout: 60_000 }, async () => {
      const whole = await client.chat.completions.create({ model, messages });
      expect(whole.object).toBe("chat.completion");
      expect(whole.model).toBe(model);
      const text = whole.choices[0]?.message.content ?? "";
      expect(text).toMatch(/^Stand-in reply to: Which press/);
      expect(whole.usage?.prompt_tokens_details?.cached_tokens).toBeGreaterThan(0);

      const stream = await client.chat.completions.create({
        model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      let streamed = "";
      let usage: OpenAI.CompletionUsage | null | undefined;
      let finish: string | null | undefined;
      for await (const chunk of stream) {
        streamed += chunk.choices[0]?.delta.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(streamed).toBe(text);
      expect(finish).toBe("stop");
      expect(usage).toEqual(whole.usage);
    });
  }

  it("lists the company's models", async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(["default", "claude", "budgeted"]);
  });

  it("raises the SDK's own error classes with the gateway's messages", async () => {
    const missing = client.chat.completions.create({ model: "gpt-unknown", messages });
    await expect(missing).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(missing).rejects.toThrow(/not offered to this company/);

    await admin(`/api/admin/companies/${companyId}/llm/policy`, "PUT", {
      models: [{ name: "budgeted", targets: [{ provider: "openai", model: "gpt-4.1" }] }],
      budget_usd_micros: 10,
    });
    // The policy is cached for a few seconds per isolate; the refusal comes once it is read again.
    let refusal: unknown;
    for (let i = 0; i < 40 && !refusal; i++) {
      refusal = await client.chat.completions
        .create({ model: "budgeted", messages, max_tokens: 500 })
        .then(() => undefined)
        .catch((error: unknown) => error);
      if (!refusal) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(refusal).toBeInstanceOf(OpenAI.RateLimitError);
    expect(String((refusal as Error).message)).toMatch(/budget/);
  }, 60_000);
});

describe("secrets in logs", () => {
  it("writes no key into any log line, even when a provider refuses one", { timeout: 60_000 }, async () => {
    const secret = "sk-refused-company-key-5e1b7a90c3";
    const key = (await admin(`/api/admin/companies/${companyId}/llm/keys`, "POST", {
      provider: "openai",
      label: "Refused",
      key: secret,
    })) as { key: { id: string } };
    await admin(`/api/admin/companies/${companyId}/llm/policy`, "PUT", {
      models: [
        { name: "refused", targets: [{ provider: "openai", model: "gpt-4o-mini", key_id: key.key.id }] },
        { name: "default", targets: [{ provider: "openai", model: "gpt-4o-mini" }] },
      ],
    });
    await expect(client.chat.completions.create({ model: "refused", messages })).rejects.toThrow(/key/);
    await admin(`/api/admin/companies/${companyId}/llm/keys/${key.key.id}/rotate`, "POST", {
      key: "sk-rotated-company-key-77aa01",
    });
    await client.chat.completions.create({ model: "default", messages });
    // Lines are written after the answers (the usage rows' waitUntil): give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(system.logs.length).toBeGreaterThan(0);
    for (const line of system.logs) {
      for (const secretText of [secret, "sk-rotated-company-key-77aa01", apiKey, "sk-stand-in-platform"]) {
        expect(line).not.toContain(secretText);
      }
    }
  });
});
