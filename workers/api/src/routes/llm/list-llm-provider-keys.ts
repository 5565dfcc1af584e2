import { operation } from "../../lib/operation.ts";
import { companyProviderKeys, toLlmProviderKeyView } from "../../services/llm/provider-keys.ts";

export const listLlmProviderKeys = operation("listLlmProviderKeys", async (c, { params }) => ({
  success: true,
  keys: (await companyProviderKeys(c.env, params.companyId)).map(toLlmProviderKeyView),
}));
