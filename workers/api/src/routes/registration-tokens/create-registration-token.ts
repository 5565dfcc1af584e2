import { operation } from "../../lib/operation.ts";
import { issueRegistrationToken } from "../../services/registration-tokens.ts";

export const createRegistrationToken = operation("createRegistrationToken", async (c, { body }) => ({
  success: true,
  ...(await issueRegistrationToken(c, body)),
}));
