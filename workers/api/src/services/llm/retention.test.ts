import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { callAsOperator, json } from "../../../test/helpers.ts";
import { insertCalls, llmCompany } from "../../../test/llm.ts";
import { purgeLlmContent } from "./retention.ts";

describe("the daily LLM content purge", () => {
  it("clears prompts and outputs past their retention and keeps the usage figures", async () => {
    const { companyId, base } = await llmCompany("llm-retention");
    const now = Date.now();
    await insertCalls(companyId, [
      { prompt: "old prompt", output: "old output", contentExpiresAt: now - 1000, inputTokens: 40 },
      { prompt: "new prompt", output: "new output", contentExpiresAt: now + 86_400_000, inputTokens: 50 },
    ]);
    const result = await purgeLlmContent(env, now);
    expect(result.failed).toBe(0);
    expect(result.cleared).toBeGreaterThanOrEqual(1);
    const { calls } = await json<{
      calls: { prompt: string | null; output: string | null; input_tokens: number }[];
    }>(await callAsOperator(`${base}/calls`));
    const byTokens = new Map(calls.map((c) => [c.input_tokens, c]));
    expect(byTokens.get(40)).toMatchObject({ prompt: null, output: null, input_tokens: 40 });
    expect(byTokens.get(50)).toMatchObject({ prompt: "new prompt", output: "new output" });
  });
});
