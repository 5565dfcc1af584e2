import { operation } from "../../lib/operation.ts";
import { auditStatement } from "../../services/audit.ts";
import { saveLlmPolicy } from "../../services/llm/policy.ts";

export const updateLlmPolicy = operation("updateLlmPolicy", async (c, { params, body }) => {
  const { companyId } = params;
  const policy = await saveLlmPolicy(c.env, companyId, body);
  await auditStatement(c, {
    companyId,
    action: "llm.policy_updated",
    targetType: "company",
    targetId: companyId,
    details: {
      enabled: policy.enabled,
      models: policy.models.map((model) => model.name),
      allow_installations: policy.allow_installations,
      budget_usd_micros: policy.budget_usd_micros,
      api_key_budgets: policy.api_key_budgets.length,
      cache_enabled: policy.cache_enabled,
      store_content: policy.store_content,
    },
  });
  return { success: true, policy };
});
