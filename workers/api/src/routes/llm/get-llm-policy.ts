import { operation } from "../../lib/operation.ts";
import { llmPolicy } from "../../services/llm/policy.ts";

export const getLlmPolicy = operation("getLlmPolicy", async (c, { params }) => ({
  success: true,
  policy: await llmPolicy(c.env, params.companyId),
}));
