import { ApiError } from "../../lib/errors.ts";
import { operation } from "../../lib/operation.ts";
import { issueApiKey, toApiKeyView, validKeyPermissions } from "../../services/api-keys.ts";
import { allows, allowsAll, memberAccess } from "../../services/member-access.ts";

export const createApiKey = operation("createApiKey", async (c, { params, body, caller }) => {
  const { companyId } = params;
  const permissions = validKeyPermissions(body.permissions);
  if (caller.kind === "user") {
    const access = await memberAccess(c, companyId, caller.userId);
    // The access guard checked api_keys:manage already; checked again here because handing out
    // credentials must never rest on one check.
    if (!access || !allows(access, { resource: "api_keys", action: "manage" })) {
      throw new ApiError("FORBIDDEN", "Your role in this company does not allow api_keys:manage.");
    }
    // A member can hand a key only permissions their own role has.
    if (!allowsAll(access, permissions)) {
      throw new ApiError("FORBIDDEN", "An API key cannot get permissions your own role does not have.");
    }
  } else if (caller.kind !== "operator") {
    throw new ApiError("FORBIDDEN", "Only the company's owners and platform operators may create API keys.");
  }
  const { row, key } = await issueApiKey(c, companyId, {
    name: body.name,
    permissions,
    expiresInDays: body.expires_in_days,
  });
  return { success: true, api_key: toApiKeyView(row), key };
});
