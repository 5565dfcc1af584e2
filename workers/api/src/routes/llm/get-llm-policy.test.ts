import { env } from "cloudflare:workers";
import type { LlmPolicy } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import { call, expectError, json } from "../../../test/helpers.ts";
import { asOptions, llmCompany, putPolicy } from "../../../test/llm.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

const policyOf = async (response: Response) => {
  expect(response.status, await response.clone().text()).toBe(200);
  return (await json<{ policy: LlmPolicy }>(response)).policy;
};

describe("reading a company's LLM policy", () => {
  it("answers the platform's defaults (LLM_DEFAULT_MODELS, platform keys) until the company saves one", async () => {
    const { base } = await llmCompany("llm-policy-default");
    const policy = await policyOf(await call(`${base}/policy`, asOptions()));
    const configured = JSON.parse(env.LLM_DEFAULT_MODELS) as { name: string }[];
    expect(configured.length).toBeGreaterThan(0);
    expect(policy.models.map((model) => model.name)).toEqual(configured.map((model) => model.name));
    expect(policy.models.flatMap((model) => model.targets.map((target) => target.key_id))).toEqual(
      policy.models.flatMap((model) => model.targets.map(() => null)),
    );
    expect(policy).toMatchObject({
      updated_at: null,
      enabled: true,
      allow_installations: false,
      budget_usd_micros: null,
      cache_enabled: false,
      store_content: false,
      default_max_tokens: 4096,
    });
  });

  it("is for owners and admins: a plain member gets 403 on every LLM admin route", async () => {
    const { companyId, base } = await llmCompany("llm-roles");
    const owner = await companyOwner(companyId, "owner@llm-roles.example");
    const admin = await companyMember(owner, companyId, "admin@llm-roles.example", "admin");
    const member = await companyMember(owner, companyId, "member@llm-roles.example", "member");

    expect((await call(`${base}/policy`, { headers: { cookie: owner } })).status).toBe(200);
    expect((await call(`${base}/policy`, { headers: { cookie: admin } })).status).toBe(200);
    // Admins hold llm:manage too.
    const saved = await policyOf(
      await putPolicy(
        companyId,
        { models: [{ name: "fast", targets: [{ provider: "workers_ai", model: "@cf/meta/llama" }] }] },
        { cookie: admin },
      ),
    );
    expect(saved.updated_at).not.toBeNull();

    const reads = ["policy", "keys", "usage", "calls"];
    for (const path of reads) {
      const refused = await expectError(
        await call(`${base}/${path}`, { headers: { cookie: member } }),
        403,
        "FORBIDDEN",
      );
      expect(refused.message).toContain("llm:read");
    }
    const writes: [string, string, unknown][] = [
      ["PUT", "policy", { models: [] }],
      ["POST", "keys", { provider: "openai", label: "x", key: "sk-stand-in-member-0000" }],
      ["POST", "keys/some-key/rotate", { key: "sk-stand-in-member-0000" }],
      ["DELETE", "keys/some-key", undefined],
    ];
    for (const [method, path, body] of writes) {
      await expectError(
        await call(`${base}/${path}`, { method, headers: { cookie: member }, body }),
        403,
        "FORBIDDEN",
      );
    }
  });
});
