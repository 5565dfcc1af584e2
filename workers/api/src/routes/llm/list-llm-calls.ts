import { operation } from "../../lib/operation.ts";
import { llmCallPage } from "../../services/llm/usage-queries.ts";

export const listLlmCalls = operation("listLlmCalls", async (c, { params, query }) => ({
  success: true,
  ...(await llmCallPage(c.env, params.companyId, query)),
}));
