import { operation } from "../../lib/operation.ts";
import {
  auditProviderKey,
  replaceProviderKeySecret,
  toLlmProviderKeyView,
} from "../../services/llm/provider-keys.ts";

export const rotateLlmProviderKey = operation("rotateLlmProviderKey", async (c, { params, body }) => {
  const row = await replaceProviderKeySecret(c.env, params.companyId, params.providerKeyId, body.key);
  await auditProviderKey(c, params.companyId, "llm.key_rotated", row);
  return { success: true, key: toLlmProviderKeyView(row) };
});
