// Single-use registration tokens operators issue for a company's first registration.
import type { Operation } from "../../lib/operation.ts";
import { createRegistrationToken } from "./create-registration-token.ts";
import { listRegistrationTokens } from "./list-registration-tokens.ts";
import { revokeRegistrationToken } from "./revoke-registration-token.ts";

export const registrationTokensOperations: Operation[] = [
  createRegistrationToken,
  listRegistrationTokens,
  revokeRegistrationToken,
];
