import { operation } from "../../lib/operation.ts";
import { revokeRegistrationTokenById } from "../../services/registration-tokens.ts";

export const revokeRegistrationToken = operation("revokeRegistrationToken", async (c, { params }) => ({
  success: true,
  token: await revokeRegistrationTokenById(c, params.tokenId),
}));
