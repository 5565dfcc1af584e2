import { env } from "cloudflare:workers";
import type { LlmProviderKey } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, expectError, json } from "../../../test/helpers.ts";
import { addProviderKey, asOptions, auditText, llmCompany, putPolicy } from "../../../test/llm.ts";
import { providerKeySecret } from "../../services/llm/provider-keys.ts";

const workersAi = { provider: "workers_ai", model: "@cf/x" };

describe("deleting a provider key", () => {
  it("is refused while the policy uses the key, and done once no target does", async () => {
    const { companyId, base } = await llmCompany("llm-delete");
    const key = await addProviderKey(companyId, {
      provider: "anthropic",
      key: "sk-ant-stand-in-delete-4444",
    });
    const withKey = await putPolicy(companyId, {
      models: [
        { name: "default", targets: [{ provider: "anthropic", model: "claude-sonnet-4-5", key_id: key.id }] },
        { name: "cheap", targets: [workersAi] },
      ],
    });
    expect(withKey.status, await withKey.clone().text()).toBe(200);
    const del = () => call(`${base}/keys/${key.id}`, { ...asOptions(), method: "DELETE" });

    const refused = await expectError(await del(), 400, "VALIDATION_FAILED");
    expect(refused.message).toContain('"default"');
    expect(refused.message).not.toContain('"cheap"');
    expect(await providerKeySecret(env, companyId, key.id)).not.toBeNull();

    await putPolicy(companyId, { models: [{ name: "cheap", targets: [workersAi] }] });
    const deleted = await del();
    expect(deleted.status).toBe(200);
    expect((await json<{ key: LlmProviderKey }>(deleted)).key).toEqual(key);
    expect(await providerKeySecret(env, companyId, key.id)).toBeNull();
    const listed = await json<{ keys: LlmProviderKey[] }>(await call(`${base}/keys`, asOptions()));
    expect(listed.keys).toEqual([]);
    expect((await auditText(companyId)).actions.at(-1)).toBe("llm.key_deleted");

    await expectError(await del(), 404, "LLM_KEY_NOT_FOUND");
  });

  it("does not reach another company's key", async () => {
    const { base } = await llmCompany("llm-delete-foreign");
    const other = await llmCompany("llm-delete-foreign-other");
    const theirs = await addProviderKey(other.companyId, {
      provider: "openai",
      key: "sk-stand-in-delete-5555",
    });
    await expectError(
      await call(`${base}/keys/${theirs.id}`, { ...asOptions(), method: "DELETE" }),
      404,
      "LLM_KEY_NOT_FOUND",
    );
    expect(await providerKeySecret(env, other.companyId, theirs.id)).not.toBeNull();
  });
});
