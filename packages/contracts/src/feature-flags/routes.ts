import {
  adminErrors,
  bodyErrors,
  CompanyIdParams,
  companyErrors,
  crmErrors,
  define,
} from "../shared/route-contract.ts";
import { FeatureFlagListSchema, MyFeatureFlagsSchema, PutFeatureFlagsRequestSchema } from "./schemas.ts";

export const featureFlagRoutes = {
  listFeatureFlags: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/feature-flags",
    summary: "The company's feature flags with their rules",
    tag: "crm",
    auth: "company",
    permission: { resource: "feature_flags", action: "read" },
    params: CompanyIdParams,
    status: 200,
    response: FeatureFlagListSchema,
    errors: [...adminErrors, ...companyErrors, ...crmErrors],
  }),
  putFeatureFlags: define({
    method: "put",
    path: "/api/admin/companies/{companyId}/feature-flags",
    summary: "Replace the company's feature flags",
    tag: "crm",
    auth: "company",
    permission: { resource: "feature_flags", action: "manage" },
    params: CompanyIdParams,
    body: PutFeatureFlagsRequestSchema,
    status: 200,
    response: FeatureFlagListSchema,
    errors: [...adminErrors, ...bodyErrors, ...companyErrors, ...crmErrors],
  }),
  myFeatureFlags: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/feature-flags/me",
    summary: "The flags evaluated for the signed-in user's role and showrooms (apps call it after sign-in)",
    tag: "crm",
    auth: "company",
    permission: { resource: "feature_flags", action: "read" },
    params: CompanyIdParams,
    status: 200,
    response: MyFeatureFlagsSchema,
    errors: [...adminErrors, ...companyErrors, ...crmErrors],
  }),
} as const;
