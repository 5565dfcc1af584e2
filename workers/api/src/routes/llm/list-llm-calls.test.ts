import type { LlmCall } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, json } from "../../../test/helpers.ts";
import { asOptions, insertCalls, llmCompany } from "../../../test/llm.ts";

interface Page {
  calls: LlmCall[];
  next_cursor: string | null;
}

describe("the LLM call log", () => {
  it("lists calls newest first with their tokens, cost and attempts, filtered and paged", async () => {
    const { companyId, base } = await llmCompany("llm-calls");
    const other = await llmCompany("llm-calls-other");
    const start = Date.now() - 60_000;
    const attempts: LlmCall["attempts"] = [
      { provider: "openai", model: "gpt-4o-mini", status: 429, skipped: false, latency_ms: 40 },
      {
        provider: "anthropic",
        model: "claude-3-5-haiku-latest",
        status: 200,
        skipped: false,
        latency_ms: 300,
      },
    ];
    const rows = await insertCalls(companyId, [
      { createdAt: start, apiKeyId: "key-a" },
      {
        createdAt: start + 1000,
        model: "smart",
        provider: "anthropic",
        providerModel: "claude-3-5-haiku-latest",
        fallbackStep: 1,
        attempts,
        apiKeyId: "key-b",
        stream: true,
        estimated: true,
        status: "cut",
      },
      {
        createdAt: start + 2000,
        provider: null,
        providerModel: null,
        keySource: null,
        fallbackStep: null,
        status: "error",
        httpStatus: 502,
        apiKeyId: "key-a",
        costUsdMicros: 0,
      },
      { createdAt: start + 3000, installationId: "inst-1", status: "cached", costUsdMicros: 0 },
    ]);
    await insertCalls(other.companyId, [{ createdAt: start }]);
    const list = async (query = "") => {
      const response = await call(`${base}/calls${query}`, asOptions());
      expect(response.status, await response.clone().text()).toBe(200);
      return json<Page>(response);
    };
    const ids = (page: Page) => page.calls.map((c) => c.id);
    const [first, second, third, fourth] = rows.map((row) => row.id);

    const all = await list();
    expect(ids(all)).toEqual([fourth, third, second, first]);
    expect(all.next_cursor).toBeNull();
    expect(all.calls[2]).toEqual({
      id: second,
      request_id: rows[1]?.requestId,
      created_at: new Date(start + 1000).toISOString(),
      model: "smart",
      provider: "anthropic",
      provider_model: "claude-3-5-haiku-latest",
      key_source: "platform",
      api_key_id: "key-b",
      installation_id: null,
      fallback_step: 1,
      attempts,
      stream: true,
      status: "cut",
      http_status: 200,
      input_tokens: 10,
      cached_tokens: 0,
      output_tokens: 5,
      cost_usd_micros: 100,
      price_version: "test",
      latency_ms: 12,
      estimated: true,
      prompt: null,
      output: null,
    });

    expect(ids(await list("?model=smart"))).toEqual([second]);
    expect(ids(await list("?provider=openai"))).toEqual([fourth, first]);
    expect(ids(await list("?api_key_id=key-a"))).toEqual([third, first]);
    expect(ids(await list("?status=error"))).toEqual([third]);
    expect(ids(await list("?api_key_id=key-a&status=ok"))).toEqual([first]);
    expect(ids(await list("?model=nothing"))).toEqual([]);

    const page1 = await list("?limit=3");
    expect(ids(page1)).toEqual([fourth, third, second]);
    expect(page1.next_cursor).toBe(second);
    const page2 = await list(`?limit=3&cursor=${page1.next_cursor}`);
    expect(ids(page2)).toEqual([first]);
    expect(page2.next_cursor).toBeNull();
  });
});
