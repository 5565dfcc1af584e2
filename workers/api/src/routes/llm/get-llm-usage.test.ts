import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectError, json } from "../../../test/helpers.ts";
import { asOptions, insertCalls, llmCompany, putPolicy } from "../../../test/llm.ts";
import { companyHub } from "../../services/hub.ts";
import { llmPeriod } from "../../services/llm/usage-queries.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Usage {
  from: string;
  to: string;
  bucket: string;
  series: {
    bucket_start: string;
    group: string;
    requests: number;
    input_tokens: number;
    cached_tokens: number;
    output_tokens: number;
    cost_usd_micros: number;
  }[];
  budget: {
    period: string;
    budget_usd_micros: number | null;
    spent_usd_micros: number;
    reserved_usd_micros: number;
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe("LLM usage over time", () => {
  it("sums requests, tokens and cost per day or hour and per model, provider or API key, within the range", async () => {
    const { companyId, base } = await llmCompany("llm-usage");
    const day = Math.floor((Date.now() - 3 * DAY) / DAY) * DAY;
    await insertCalls(companyId, [
      {
        createdAt: day + HOUR,
        apiKeyId: "key-a",
        inputTokens: 100,
        cachedTokens: 20,
        outputTokens: 50,
        costUsdMicros: 1000,
      },
      {
        createdAt: day + HOUR + 600_000,
        apiKeyId: null,
        installationId: "inst-1",
        inputTokens: 10,
        outputTokens: 5,
        costUsdMicros: 100,
      },
      {
        createdAt: day + 2 * HOUR,
        model: "claude",
        provider: "anthropic",
        apiKeyId: "key-a",
        costUsdMicros: 2000,
      },
      {
        createdAt: day + DAY + HOUR,
        provider: "gemini",
        apiKeyId: "key-b",
        fallbackStep: 1,
        costUsdMicros: 50,
      },
      {
        createdAt: day + DAY + 2 * HOUR,
        provider: null,
        apiKeyId: "key-b",
        status: "error",
        httpStatus: 502,
        inputTokens: 0,
        outputTokens: 0,
        costUsdMicros: 0,
      },
      // Outside the default 30 days.
      { createdAt: Date.now() - 40 * DAY, costUsdMicros: 9_999 },
    ]);
    const usage = async (query: string) => {
      const response = await call(`${base}/usage${query}`, asOptions());
      expect(response.status, await response.clone().text()).toBe(200);
      return json<Usage>(response);
    };

    const byModel = await usage("");
    expect(byModel.bucket).toBe("day");
    expect(Date.parse(byModel.to) - Date.parse(byModel.from)).toBe(30 * DAY);
    expect(byModel.series).toEqual([
      {
        bucket_start: iso(day),
        group: "claude",
        requests: 1,
        input_tokens: 10,
        cached_tokens: 0,
        output_tokens: 5,
        cost_usd_micros: 2000,
      },
      {
        bucket_start: iso(day),
        group: "default",
        requests: 2,
        input_tokens: 110,
        cached_tokens: 20,
        output_tokens: 55,
        cost_usd_micros: 1100,
      },
      {
        bucket_start: iso(day + DAY),
        group: "default",
        requests: 2,
        input_tokens: 10,
        cached_tokens: 0,
        output_tokens: 5,
        cost_usd_micros: 50,
      },
    ]);

    const byProvider = await usage("?group_by=provider");
    expect(byProvider.series.map((point) => [point.bucket_start, point.group, point.requests])).toEqual([
      [iso(day), "anthropic", 1],
      [iso(day), "openai", 2],
      [iso(day + DAY), "-", 1],
      [iso(day + DAY), "gemini", 1],
    ]);

    const hourly = await usage(`?bucket=hour&group_by=api_key&from=${iso(day)}&to=${iso(day + DAY)}`);
    expect(hourly).toMatchObject({ from: iso(day), to: iso(day + DAY), bucket: "hour" });
    expect(hourly.series.map((point) => [point.bucket_start, point.group, point.cost_usd_micros])).toEqual([
      [iso(day + HOUR), "-", 100],
      [iso(day + HOUR), "key-a", 1000],
      [iso(day + 2 * HOUR), "key-a", 2000],
    ]);

    const old = await usage(`?from=${iso(Date.now() - 60 * DAY)}&to=${iso(Date.now() - 35 * DAY)}`);
    expect(old.series.map((point) => point.cost_usd_micros)).toEqual([9_999]);
  });

  it("refuses an empty or too wide range", async () => {
    const { base } = await llmCompany("llm-usage-range");
    const now = Date.now();
    for (const query of [
      `?from=${iso(now)}&to=${iso(now - HOUR)}`,
      `?from=${iso(now)}&to=${iso(now)}`,
      `?bucket=hour&from=${iso(now - 40 * DAY)}`,
      `?from=${iso(now - 400 * DAY)}`,
      "?from=yesterday",
      "?bucket=week",
    ]) {
      await expectError(await call(`${base}/usage${query}`, asOptions()), 400, "VALIDATION_FAILED");
    }
  });

  it("shows this month's budget from the policy, and the spent and reserved amounts the company's hub counted", async () => {
    const { companyId, base } = await llmCompany("llm-usage-budget");
    const before = await json<Usage>(await call(`${base}/usage`, asOptions()));
    expect(before.budget).toEqual({
      period: llmPeriod(),
      budget_usd_micros: null,
      spent_usd_micros: 0,
      reserved_usd_micros: 0,
    });
    expect(before.budget.period).toMatch(/^\d{4}-\d{2}$/);

    const saved = await putPolicy(companyId, {
      models: [{ name: "cheap", targets: [{ provider: "workers_ai", model: "@cf/x" }] }],
      budget_usd_micros: 5_000_000,
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const hub = companyHub(env, companyId);
    const period = llmPeriod();
    const begin = (reservationId: string, cost: number) =>
      hub.llmBegin(companyId, {
        reservationId,
        period,
        cost,
        tokens: 10,
        keyId: null,
        companyBudget: 5_000_000,
        keyBudget: null,
        requestsPerMinute: 600,
        tokensPerMinute: 1_000_000,
        targets: [],
      });
    expect((await begin("settled", 500)).ok).toBe(true);
    await hub.llmEnd(companyId, {
      reservationId: "settled",
      period,
      keyId: null,
      cost: 120,
      tokens: 10,
      attempts: [],
    });
    expect((await begin("open", 300)).ok).toBe(true);

    const after = await json<Usage>(await call(`${base}/usage`, asOptions()));
    expect(after.budget).toEqual({
      period,
      budget_usd_micros: 5_000_000,
      spent_usd_micros: 120,
      reserved_usd_micros: 300,
    });
  });
});
