import { z } from "zod";
import { adminErrors, bodyErrors, define } from "../shared/route-contract.ts";
import {
  CreateRegistrationTokenRequestSchema,
  RegistrationTokenItemSchema,
  RegistrationTokenListQuerySchema,
  RegistrationTokenListSchema,
  RegistrationTokenResponseSchema,
} from "./schemas.ts";

export const registrationTokenRoutes = {
  createRegistrationToken: define({
    method: "post",
    path: "/api/admin/registration-tokens",
    summary: "Create a single-use registration token with the tier and limits its company will get",
    tag: "operator",
    auth: "operator",
    body: CreateRegistrationTokenRequestSchema,
    status: 201,
    response: RegistrationTokenResponseSchema,
    errors: [...adminErrors, ...bodyErrors],
  }),
  listRegistrationTokens: define({
    method: "get",
    path: "/api/admin/registration-tokens",
    summary: "List registration tokens (never their secrets), newest first",
    tag: "operator",
    auth: "operator",
    query: RegistrationTokenListQuerySchema,
    status: 200,
    response: RegistrationTokenListSchema,
    errors: [...adminErrors, "VALIDATION_FAILED"],
  }),
  revokeRegistrationToken: define({
    method: "post",
    path: "/api/admin/registration-tokens/{tokenId}/revoke",
    summary: "Revoke a registration token that has not been used (revoking twice changes nothing)",
    tag: "operator",
    auth: "operator",
    params: z.object({ tokenId: z.string().min(1).max(64) }),
    status: 200,
    response: RegistrationTokenItemSchema,
    errors: [...adminErrors, "NOT_FOUND", "REGISTRATION_TOKEN_USED"],
  }),
} as const;
