import { operation } from "../../lib/operation.ts";
import { llmUsage } from "../../services/llm/usage-queries.ts";

export const getLlmUsage = operation("getLlmUsage", async (c, { params, query }) => ({
  success: true,
  ...(await llmUsage(c.env, params.companyId, query)),
}));
