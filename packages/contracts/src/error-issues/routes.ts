// A company's error issues (events grouped by fingerprint), their events and their state.
import { z } from "zod";
import { adminErrors, bodyErrors, CompanyIdParams, companyErrors, define } from "../shared/route-contract.ts";
import {
  ErrorEventListQuerySchema,
  ErrorEventListSchema,
  ErrorIssueDetailSchema,
  ErrorIssueListQuerySchema,
  ErrorIssueListSchema,
  ErrorIssueResponseSchema,
  UpdateErrorIssueRequestSchema,
} from "./schemas.ts";

const IssueParams = CompanyIdParams.extend({ issueId: z.string().min(1).max(64) });
const readErrors = [...adminErrors, ...companyErrors, "TENANT_DATABASE_EXTERNAL"] as const;

export const errorIssueRoutes = {
  listErrorIssues: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/error-issues",
    summary: "The company's error issues, filtered by status, project, release, platform or environment",
    tag: "errors",
    auth: "company",
    permission: { resource: "errors", action: "read" },
    params: CompanyIdParams,
    query: ErrorIssueListQuerySchema,
    status: 200,
    response: ErrorIssueListSchema,
    errors: [...readErrors, "VALIDATION_FAILED"],
  }),
  getErrorIssue: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/error-issues/{issueId}",
    summary: "An issue with its latest event, releases, occurrences over 14 days and top tag values",
    tag: "errors",
    auth: "company",
    permission: { resource: "errors", action: "read" },
    params: IssueParams,
    status: 200,
    response: ErrorIssueDetailSchema,
    errors: [...readErrors, "ERROR_ISSUE_NOT_FOUND"],
  }),
  updateErrorIssue: define({
    method: "patch",
    path: "/api/admin/companies/{companyId}/error-issues/{issueId}",
    summary: "Resolve (optionally in a release), ignore or reopen an issue",
    tag: "errors",
    auth: "company",
    permission: { resource: "errors", action: "manage" },
    params: IssueParams,
    body: UpdateErrorIssueRequestSchema,
    status: 200,
    response: ErrorIssueResponseSchema,
    errors: [...readErrors, ...bodyErrors, "ERROR_ISSUE_NOT_FOUND"],
  }),
  listErrorEvents: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/error-issues/{issueId}/events",
    summary: "An issue's stored events, newest first",
    tag: "errors",
    auth: "company",
    permission: { resource: "errors", action: "read" },
    params: IssueParams,
    query: ErrorEventListQuerySchema,
    status: 200,
    response: ErrorEventListSchema,
    errors: [...readErrors, "VALIDATION_FAILED", "ERROR_ISSUE_NOT_FOUND"],
  }),
} as const;
