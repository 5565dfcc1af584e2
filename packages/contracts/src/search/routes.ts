// Federated search: the query, click reports, the query report, and the operators' index commands.
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
  SearchClickRequestSchema,
  SearchIndexStatusSchema,
  SearchReportQuerySchema,
  SearchReportSchema,
  SearchRequestSchema,
  SearchResponseSchema,
} from "./schemas.ts";

const QueryParams = CompanyIdParams.extend({ queryId: z.string().min(1).max(64) });
const tenantErrors = [...adminErrors, ...companyErrors, ...crmErrors] as const;

export const searchRoutes = {
  searchCompany: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/search",
    summary:
      "One query across the company's projects, clients, activities, documents, machines, members and showrooms, " +
      "ranked on one scale, with typo tolerance, facets and highlighted snippets; results limited to what the caller may read",
    tag: "search",
    auth: "company",
    permission: { resource: "search", action: "read" },
    installations: true,
    params: CompanyIdParams,
    body: SearchRequestSchema,
    status: 200,
    response: SearchResponseSchema,
    errors: [...tenantErrors, ...bodyErrors, "SEARCH_INDEX_MISSING"],
  }),
  reportSearchClick: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/search/queries/{queryId}/click",
    summary: "Records which result of a logged query the user opened (the dashboard reports it)",
    tag: "search",
    auth: "company",
    permission: { resource: "search", action: "read" },
    installations: true,
    params: QueryParams,
    body: SearchClickRequestSchema,
    status: 200,
    response: z.object({ success: z.literal(true) }),
    errors: [...tenantErrors, ...bodyErrors, "SEARCH_QUERY_NOT_FOUND"],
  }),
  getSearchReport: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/search/report",
    summary:
      "The company's queries over a period: totals, latency, the most frequent and the zero-result ones",
    tag: "search",
    auth: "company",
    permission: { resource: "search", action: "analytics" },
    params: CompanyIdParams,
    query: SearchReportQuerySchema,
    status: 200,
    response: SearchReportSchema,
    errors: [...tenantErrors, "VALIDATION_FAILED"],
  }),
  getSearchIndex: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/search/index",
    summary: "The company's search index: entries per type and FTS5's integrity check",
    tag: "operator",
    auth: "operator",
    params: CompanyIdParams,
    status: 200,
    response: SearchIndexStatusSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND", ...crmErrors],
  }),
  rebuildSearchIndex: define({
    method: "post",
    path: "/api/admin/companies/{companyId}/search/index/rebuild",
    summary: "Rebuilds the company's search index from its records (after a restore, or to repair it)",
    tag: "operator",
    auth: "operator",
    params: CompanyIdParams,
    status: 200,
    response: SearchIndexStatusSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND", ...crmErrors],
  }),
  dropSearchIndex: define({
    method: "delete",
    path: "/api/admin/companies/{companyId}/search/index",
    summary:
      "Drops the index's FTS5 tables so `wrangler d1 export` can run (it refuses virtual tables); search answers " +
      "SEARCH_INDEX_MISSING until a rebuild",
    tag: "operator",
    auth: "operator",
    params: CompanyIdParams,
    status: 200,
    response: SearchIndexStatusSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND", ...crmErrors],
  }),
} as const;
