import { operation } from "../../lib/operation.ts";
import {
  auditProviderKey,
  deleteProviderKey,
  toLlmProviderKeyView,
} from "../../services/llm/provider-keys.ts";

export const deleteLlmProviderKey = operation("deleteLlmProviderKey", async (c, { params }) => {
  const row = await deleteProviderKey(c.env, params.companyId, params.providerKeyId);
  await auditProviderKey(c, params.companyId, "llm.key_deleted", row);
  return { success: true, key: toLlmProviderKeyView(row) };
});
