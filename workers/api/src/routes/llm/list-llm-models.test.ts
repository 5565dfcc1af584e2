import { describe, expect, it } from "vitest";
import { call, callAsOperator, expectError, json } from "../../../test/helpers.ts";
import { llmCompany, putPolicy } from "../../../test/llm.ts";

type ModelList = { object: string; data: { id: string; object: string; owned_by: string }[] };

async function llmKey(companyId: string, permissions: Record<string, string[]> = { llm: ["use"] }) {
  const created = await callAsOperator(`/api/admin/companies/${companyId}/api-keys`, {
    body: { name: "Models", permissions },
  });
  return (await json<{ key: string }>(created)).key;
}

describe("GET /api/llm/v1/models", () => {
  it("lists the platform's default models until the company sets its own, in OpenAI's list format", async () => {
    const { companyId } = await llmCompany("llm-models-default");
    const key = await llmKey(companyId);
    const defaults = await json<ModelList>(await call("/api/llm/v1/models", { token: key }));
    expect(defaults.object).toBe("list");
    expect(defaults.data.map((m) => [m.id, m.object, m.owned_by])).toEqual([
      ["default", "model", "openai"],
      ["gpt-4o-mini", "model", "openai"],
    ]);

    await putPolicy(companyId, {
      models: [
        { name: "smart", targets: [{ provider: "anthropic", model: "claude-sonnet-4-5" }] },
        { name: "default", targets: [{ provider: "gemini", model: "gemini-2.0-flash" }] },
      ],
    });
    const own = await json<ModelList>(await call("/api/llm/v1/models", { token: key }));
    expect(own.data.map((m) => [m.id, m.owned_by])).toEqual([
      ["smart", "anthropic"],
      ["default", "gemini"],
    ]);
  });

  it("answers only callers allowed to use the gateway", async () => {
    const { companyId } = await llmCompany("llm-models-access");
    await expectError(await call("/api/llm/v1/models"), 401, "UNAUTHORIZED");
    await expectError(
      await call("/api/llm/v1/models", { token: await llmKey(companyId, { machines: ["read"] }) }),
      403,
      "FORBIDDEN",
    );
    await putPolicy(companyId, { enabled: false, models: [] });
    const off = await expectError(
      await call("/api/llm/v1/models", { token: await llmKey(companyId) }),
      403,
      "FORBIDDEN",
    );
    expect(off.message).toContain("turned off");
  });
});
