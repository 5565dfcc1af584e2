import { z } from "zod";
import { adminErrors, CompanyIdParams, define } from "../shared/route-contract.ts";
import {
  InstallationListQuerySchema,
  InstallationListSchema,
  InstallationResponseSchema,
} from "./schemas.ts";

const InstallationParams = CompanyIdParams.extend({ installationId: z.string().min(1).max(64) });

export const installationRoutes = {
  listInstallations: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/installations",
    summary: "List a company's installations",
    tag: "operator",
    auth: "company",
    permission: { resource: "installations", action: "read" },
    params: CompanyIdParams,
    query: InstallationListQuerySchema,
    status: 200,
    response: InstallationListSchema,
    errors: [...adminErrors, "VALIDATION_FAILED", "COMPANY_NOT_FOUND"],
  }),
  deactivateInstallation: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/installations/{installationId}/deactivate",
    summary: "Deactivate an installation and free its seat",
    tag: "operator",
    auth: "company",
    permission: { resource: "installations", action: "deactivate" },
    params: InstallationParams,
    status: 200,
    response: InstallationResponseSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND", "INSTALLATION_NOT_FOUND"],
  }),
  resetInstallationBinding: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/installations/{installationId}/reset-binding",
    summary:
      "Forget the secret an installation is bound to, so the next validate of its machine_id binds it anew (a reinstalled or replaced machine); does not deactivate it",
    tag: "operator",
    auth: "company",
    permission: { resource: "installations", action: "deactivate" },
    params: InstallationParams,
    status: 200,
    response: InstallationResponseSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND", "INSTALLATION_NOT_FOUND"],
  }),
} as const;
