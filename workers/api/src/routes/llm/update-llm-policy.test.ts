import type { LlmPolicy } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, callAsOperator, callWithEnv, expectError, issuePaths, json } from "../../../test/helpers.ts";
import { addProviderKey, asOptions, auditText, llmCompany, putPolicy } from "../../../test/llm.ts";

const target = (provider: string, model: string, key_id: string | null = null) => ({
  provider,
  model,
  key_id,
});

describe("updating a company's LLM policy", () => {
  it("saves models on the company's own keys and Workers AI, with budgets and limits, and audits it", async () => {
    const { companyId, base } = await llmCompany("llm-policy-save");
    const gemini = await addProviderKey(companyId, { provider: "gemini", key: "stand-in-gemini-save-1111" });
    const openai = await addProviderKey(companyId, { provider: "openai", key: "sk-stand-in-save-2222" });
    const created = await callAsOperator(`/api/admin/companies/${companyId}/api-keys`, {
      body: { name: "ERP", permissions: { llm: ["use"] } },
    });
    const apiKey = (await json<{ api_key: { id: string } }>(created)).api_key.id;

    const saved = await putPolicy(companyId, {
      models: [
        {
          name: "default",
          targets: [
            target("gemini", "gemini-2.0-flash", gemini.id),
            { ...target("openai", "gpt-4o-mini", openai.id), timeout_ms: 5000 },
          ],
        },
        { name: "cheap", targets: [target("workers_ai", "@cf/meta/llama-3.1-8b-instruct")] },
      ],
      budget_usd_micros: 1_000_000,
      api_key_budgets: [{ api_key_id: apiKey, budget_usd_micros: 250_000 }],
      requests_per_minute: 60,
      store_content: true,
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const { policy } = await json<{ policy: LlmPolicy }>(saved);
    expect(Date.now() - Date.parse(policy.updated_at ?? "")).toBeLessThan(60_000);
    expect(policy.models[0]?.targets[1]).toEqual({
      provider: "openai",
      model: "gpt-4o-mini",
      key_id: openai.id,
      timeout_ms: 5000,
    });
    // Defaults are filled in and stored, not left to whoever reads the policy.
    expect(policy.models[1]?.targets[0]?.timeout_ms).toBe(60_000);
    expect(policy).toMatchObject({
      tokens_per_minute: 1_000_000,
      requests_per_minute: 60,
      store_content: true,
    });

    const read = await json<{ policy: LlmPolicy }>(await call(`${base}/policy`, asOptions()));
    expect(read.policy).toEqual(policy);
    const audit = await auditText(companyId);
    expect(audit.actions.at(-1)).toBe("llm.policy_updated");
    expect(audit.details.at(-1)).toMatchObject({
      models: ["default", "cheap"],
      budget_usd_micros: 1_000_000,
    });

    // Replacing it again drops what the new body leaves out.
    const replaced = await json<{ policy: LlmPolicy }>(
      await putPolicy(companyId, { models: [{ name: "cheap", targets: [target("workers_ai", "@cf/x")] }] }),
    );
    expect(replaced.policy.budget_usd_micros).toBeNull();
    expect(replaced.policy.api_key_budgets).toEqual([]);
  });

  it("refuses duplicate model names, unknown keys, keys of another provider or company, and keys on Workers AI", async () => {
    const { companyId } = await llmCompany("llm-policy-invalid");
    const other = await llmCompany("llm-policy-invalid-other");
    const anthropic = await addProviderKey(companyId, { provider: "anthropic", key: "sk-ant-stand-in-3333" });
    const foreign = await addProviderKey(other.companyId, { provider: "openai", key: "sk-stand-in-4444" });
    const workersAi = target("workers_ai", "@cf/x");

    const duplicate = await expectError(
      await putPolicy(companyId, {
        models: [
          { name: "default", targets: [workersAi] },
          { name: "default", targets: [workersAi] },
        ],
      }),
      400,
      "VALIDATION_FAILED",
    );
    expect(duplicate.message).toContain("unique");

    for (const [keyId, says] of [
      ["no-such-key", "has no provider key no-such-key"],
      [foreign.id, `has no provider key ${foreign.id}`],
      [anthropic.id, "is a anthropic key, not a openai one"],
    ] as const) {
      const refused = await expectError(
        await putPolicy(companyId, {
          models: [{ name: "smart", targets: [workersAi, target("openai", "gpt-4.1", keyId)] }],
        }),
        404,
        "LLM_KEY_NOT_FOUND",
      );
      expect(refused.message).toContain('Model "smart", target 2 (openai/gpt-4.1)');
      expect(refused.message).toContain(says);
      expect(issuePaths(refused)).toEqual(["models.0.targets.1.key_id"]);
    }

    const keyed = await expectError(
      await putPolicy(companyId, {
        models: [{ name: "m", targets: [target("workers_ai", "@cf/x", anthropic.id)] }],
      }),
      400,
      "VALIDATION_FAILED",
    );
    expect(keyed.message).toContain("takes no key");

    const theirApiKey = await json<{ api_key: { id: string } }>(
      await callAsOperator(`/api/admin/companies/${other.companyId}/api-keys`, {
        body: { name: "Theirs", permissions: { llm: ["use"] } },
      }),
    );
    for (const apiKeyId of ["not-an-api-key", theirApiKey.api_key.id]) {
      const budgets = await expectError(
        await putPolicy(companyId, {
          models: [{ name: "m", targets: [workersAi] }],
          api_key_budgets: [{ api_key_id: apiKeyId, budget_usd_micros: 1 }],
        }),
        400,
        "VALIDATION_FAILED",
      );
      expect(budgets.message).toContain(`no API key ${apiKeyId}`);
      expect(issuePaths(budgets)).toEqual(["api_key_budgets.0.api_key_id"]);
    }

    // Nothing was saved by the refused attempts.
    const read = await json<{ policy: LlmPolicy }>(
      await call(`/api/admin/companies/${companyId}/llm/policy`, asOptions()),
    );
    expect(read.policy.updated_at).toBeNull();
  });

  it("takes a target on the platform's key only when the platform has one for that provider", async () => {
    const { base } = await llmCompany("llm-policy-platform");
    const body = {
      models: [
        { name: "default", targets: [target("anthropic", "claude-sonnet-4-5"), target("openai", "gpt-4.1")] },
      ],
    };
    const put = (overrides: Record<string, string | undefined>) =>
      callWithEnv(overrides as Partial<Env>, `${base}/policy`, { ...asOptions(), method: "PUT", body });

    const without = await expectError(
      await put({ LLM_ANTHROPIC_API_KEY: undefined, LLM_OPENAI_API_KEY: "sk-stand-in-platform" }),
      400,
      "VALIDATION_FAILED",
    );
    expect(without.message).toContain("no anthropic key of its own");
    expect(without.message).not.toContain("no openai key");
    expect(issuePaths(without)).toEqual(["models.0.targets.0.key_id"]);

    const withKeys = await put({
      LLM_ANTHROPIC_API_KEY: "sk-ant-stand-in-platform",
      LLM_OPENAI_API_KEY: "sk-stand-in-platform",
    });
    expect(withKeys.status, await withKeys.clone().text()).toBe(200);
  });
});
