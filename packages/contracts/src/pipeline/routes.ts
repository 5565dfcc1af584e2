import {
  adminErrors,
  bodyErrors,
  CompanyIdParams,
  companyErrors,
  crmErrors,
  define,
} from "../shared/route-contract.ts";
import { PipelineQuerySchema, PipelineSchema, PutPipelineRequestSchema } from "./schemas.ts";

export const pipelineRoutes = {
  getPipeline: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/pipeline",
    summary: "The stages projects move through (a showroom type's own pipeline, else the default)",
    tag: "crm",
    auth: "company",
    permission: { resource: "projects", action: "read_assigned" },
    params: CompanyIdParams,
    query: PipelineQuerySchema,
    status: 200,
    response: PipelineSchema,
    errors: [...adminErrors, ...companyErrors, ...crmErrors, "VALIDATION_FAILED"],
  }),
  putPipeline: define({
    method: "put",
    path: "/api/admin/companies/{companyId}/pipeline",
    summary: "Rename, reorder or extend the stages (for one showroom type with ?showroom_type=)",
    tag: "crm",
    auth: "company",
    permission: { resource: "pipeline", action: "manage" },
    params: CompanyIdParams,
    query: PipelineQuerySchema,
    body: PutPipelineRequestSchema,
    status: 200,
    response: PipelineSchema,
    errors: [...adminErrors, ...bodyErrors, ...companyErrors, ...crmErrors, "PIPELINE_STAGE_IN_USE"],
  }),
} as const;
