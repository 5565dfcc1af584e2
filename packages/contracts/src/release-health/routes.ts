// Crash-free sessions and users per release: a company's, and the platform's per published release.
import { z } from "zod";
import { adminErrors, CompanyIdParams, companyErrors, define } from "../shared/route-contract.ts";
import {
  CompanyReleaseHealthListSchema,
  CompanyReleaseHealthQuerySchema,
  ReleaseHealthResponseSchema,
} from "./schemas.ts";

export const releaseHealthRoutes = {
  getCompanyReleaseHealth: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/release-health",
    summary: "Crash-free sessions and users per project and release, with the last 14 days by day",
    tag: "errors",
    auth: "company",
    permission: { resource: "errors", action: "read" },
    params: CompanyIdParams,
    query: CompanyReleaseHealthQuerySchema,
    status: 200,
    response: CompanyReleaseHealthListSchema,
    errors: [...adminErrors, ...companyErrors, "TENANT_DATABASE_EXTERNAL", "VALIDATION_FAILED"],
  }),
  getReleaseHealth: define({
    method: "get",
    path: "/api/admin/releases/{releaseId}/health",
    summary:
      "A release's health across every company (its version's sessions) and its automatic-halt threshold",
    tag: "updates",
    auth: "operator",
    params: z.object({ releaseId: z.string().min(1).max(64) }),
    status: 200,
    response: ReleaseHealthResponseSchema,
    errors: [...adminErrors, "RELEASE_NOT_FOUND"],
  }),
} as const;
