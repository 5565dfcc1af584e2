import { z } from "zod";
import {
  adminErrors,
  bodyErrors,
  CompanyIdParams,
  companyErrors,
  crmErrors,
  define,
} from "../shared/route-contract.ts";
import {
  ShowroomInputSchema,
  ShowroomListSchema,
  ShowroomResponseSchema,
  UpdateShowroomRequestSchema,
} from "./schemas.ts";

export const showroomRoutes = {
  listShowrooms: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/showrooms",
    summary: "The company's showrooms with the users working in each",
    tag: "crm",
    auth: "company",
    permission: { resource: "showrooms", action: "read" },
    params: CompanyIdParams,
    status: 200,
    response: ShowroomListSchema,
    errors: [...adminErrors, ...companyErrors, ...crmErrors],
  }),
  createShowroom: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/showrooms",
    summary: "Add a showroom (name, type, address, settings, branding, members)",
    tag: "crm",
    auth: "company",
    permission: { resource: "showrooms", action: "manage" },
    params: CompanyIdParams,
    body: ShowroomInputSchema,
    status: 201,
    response: ShowroomResponseSchema,
    errors: [...adminErrors, ...bodyErrors, ...companyErrors, ...crmErrors],
  }),
  updateShowroom: define({
    method: "patch",
    path: "/api/admin/companies/{companyId}/showrooms/{showroomId}",
    summary: "Change a showroom; `member_ids` replaces who works there",
    tag: "crm",
    auth: "company",
    permission: { resource: "showrooms", action: "manage" },
    params: CompanyIdParams.extend({ showroomId: z.string().min(1).max(64) }),
    body: UpdateShowroomRequestSchema,
    status: 200,
    response: ShowroomResponseSchema,
    errors: [...adminErrors, ...bodyErrors, ...companyErrors, ...crmErrors, "NOT_FOUND"],
  }),
} as const;
