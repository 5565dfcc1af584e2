import { z } from "zod";
import { adminErrors, bodyErrors, CompanyIdParams, companyErrors, define } from "../shared/route-contract.ts";
import {
  ApiKeyListSchema,
  ApiKeyResponseSchema,
  CreateApiKeyRequestSchema,
  CreatedApiKeySchema,
} from "./schemas.ts";

export const apiKeyRoutes = {
  listApiKeys: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/api-keys",
    summary: "A company's API keys (never the keys themselves)",
    tag: "company",
    auth: "company",
    permission: { resource: "api_keys", action: "read" },
    params: CompanyIdParams,
    status: 200,
    response: ApiKeyListSchema,
    errors: [...adminErrors, ...companyErrors],
  }),
  createApiKey: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/api-keys",
    summary: "Create an API key with some of the creator's permissions; the key is shown once",
    tag: "company",
    auth: "company",
    permission: { resource: "api_keys", action: "manage" },
    params: CompanyIdParams,
    body: CreateApiKeyRequestSchema,
    status: 201,
    response: CreatedApiKeySchema,
    errors: [...adminErrors, ...bodyErrors, ...companyErrors],
  }),
  revokeApiKey: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/api-keys/{keyId}/revoke",
    summary: "Revoke an API key: it stops working at once",
    tag: "company",
    auth: "company",
    permission: { resource: "api_keys", action: "manage" },
    params: CompanyIdParams.extend({ keyId: z.string().min(1).max(64) }),
    status: 200,
    response: ApiKeyResponseSchema,
    errors: [...adminErrors, ...companyErrors, "NOT_FOUND"],
  }),
} as const;
