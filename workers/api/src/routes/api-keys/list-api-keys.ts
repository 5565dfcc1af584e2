import { operation } from "../../lib/operation.ts";
import { companyApiKeys, toApiKeyView } from "../../services/api-keys.ts";

export const listApiKeys = operation("listApiKeys", async (c, { params }) => ({
  success: true,
  api_keys: (await companyApiKeys(c.get("db"), params.companyId)).map(toApiKeyView),
}));
