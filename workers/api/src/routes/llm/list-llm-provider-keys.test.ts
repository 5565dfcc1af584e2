import type { LlmProviderKey } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, json } from "../../../test/helpers.ts";
import { addProviderKey, asOptions, llmCompany } from "../../../test/llm.ts";

describe("listing a company's provider keys", () => {
  it("shows the company's own keys, newest first, by last four only, and no other company's", async () => {
    const mine = await llmCompany("llm-keys-list");
    const theirs = await llmCompany("llm-keys-list-other");
    const secrets = ["sk-stand-in-list-first-AAAA", "sk-ant-stand-in-list-second-BBBB"];
    await addProviderKey(mine.companyId, { provider: "openai", label: "First", key: secrets[0] ?? "" });
    await addProviderKey(mine.companyId, { provider: "anthropic", label: "Second", key: secrets[1] ?? "" });
    await addProviderKey(theirs.companyId, {
      provider: "openai",
      label: "Not mine",
      key: "sk-stand-in-theirs-CCCC",
    });

    const response = await call(`${mine.base}/keys`, asOptions());
    expect(response.status).toBe(200);
    const text = await response.clone().text();
    const { keys } = await json<{ keys: LlmProviderKey[] }>(response);
    expect(keys.map((key) => [key.label, key.provider, key.last4])).toEqual([
      ["Second", "anthropic", "BBBB"],
      ["First", "openai", "AAAA"],
    ]);
    for (const secret of secrets) expect(text).not.toContain(secret.slice(0, -4));
    expect(text).not.toMatch(/sealed|v\d+\.[\w-]{16}/);
  });
});
