import { operation } from "../../lib/operation.ts";
import { revokeCompanyApiKey, toApiKeyView } from "../../services/api-keys.ts";

export const revokeApiKey = operation("revokeApiKey", async (c, { params }) => ({
  success: true,
  api_key: toApiKeyView(await revokeCompanyApiKey(c, params.companyId, params.keyId)),
}));
