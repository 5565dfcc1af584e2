import { adminErrors, CompanyIdParams, define } from "../shared/route-contract.ts";
import { AuditActionListSchema, AuditLogListSchema, AuditLogQuerySchema } from "./schemas.ts";

export const auditLogRoutes = {
  listAuditLog: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/audit-log",
    summary: "A company's audit log, newest first",
    tag: "operator",
    auth: "company",
    permission: { resource: "audit_log", action: "read" },
    params: CompanyIdParams,
    query: AuditLogQuerySchema,
    status: 200,
    response: AuditLogListSchema,
    errors: [...adminErrors, "VALIDATION_FAILED", "COMPANY_NOT_FOUND"],
  }),
  listAuditActions: define({
    method: "get",
    path: "/api/admin/companies/{companyId}/audit-log/actions",
    summary: "The actions a company's audit log holds, for its action filter",
    tag: "operator",
    auth: "company",
    permission: { resource: "audit_log", action: "read" },
    params: CompanyIdParams,
    status: 200,
    response: AuditActionListSchema,
    errors: [...adminErrors, "COMPANY_NOT_FOUND"],
  }),
} as const;
