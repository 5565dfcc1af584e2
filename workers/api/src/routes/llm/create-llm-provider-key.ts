import { operation } from "../../lib/operation.ts";
import {
  auditProviderKey,
  storeProviderKey,
  toLlmProviderKeyView,
} from "../../services/llm/provider-keys.ts";

export const createLlmProviderKey = operation("createLlmProviderKey", async (c, { params, body }) => {
  const row = await storeProviderKey(c.env, params.companyId, body, c.get("actor").id);
  await auditProviderKey(c, params.companyId, "llm.key_created", row);
  return { success: true, key: toLlmProviderKeyView(row) };
});
